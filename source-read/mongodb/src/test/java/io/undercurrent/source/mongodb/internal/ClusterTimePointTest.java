package io.undercurrent.source.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.change.SourceOrder;
import org.junit.jupiter.api.Test;

class ClusterTimePointTest {

    /** A resume token's data as MongoDB 4.2+ writes it: 0x82, then the cluster time (seconds, increment). */
    private static ChangeStamp token(long seconds, long increment) {
        String data = String.format("82%08X%08X", seconds, increment)
                + "2B022C0100296E5A1004AB1154ACACD849A48C61756D70D3B21F463C6F7065726174696F6E54797065003C696E7365727400";
        return new ChangeStamp(null, "resume:" + data, SourceOrder.mongo(data.toLowerCase()));
    }

    private static long time(long seconds, long increment) {
        return seconds << 32 | increment;
    }

    @Test
    void aChangeIsSeenIffItsClusterTimeIsAtOrBeforeTheRead() {
        ClusterTimePoint read = new ClusterTimePoint(time(1_666_193_824L, 5));
        assertThat(read.sees(token(1_666_193_824L, 5))).isTrue();
        assertThat(read.sees(token(1_666_193_824L, 4))).isTrue();
        assertThat(read.sees(token(1_666_193_823L, 0xFFFF_FFFFL))).isTrue();
        assertThat(read.sees(token(1_666_193_824L, 6))).isFalse();
        assertThat(read.sees(token(1_666_193_825L, 0))).isFalse();
    }

    @Test
    void secondsPastTheSignedRangeCompareUnsigned() {
        ClusterTimePoint read = new ClusterTimePoint(time(0x8000_0001L, 1));
        assertThat(read.sees(token(0x8000_0000L, 9))).isTrue();
        assertThat(read.sees(token(0x8000_0001L, 2))).isFalse();
        assertThat(new ClusterTimePoint(time(0x7FFF_FFFFL, 1)).sees(token(0x8000_0000L, 1)))
                .isFalse();
    }

    @Test
    void withoutATokenThePositionsClusterTimeDecides() {
        ClusterTimePoint read = new ClusterTimePoint(time(100, 3));
        assertThat(read.sees(new ChangeStamp(null, "ts:100:3", null))).isTrue();
        assertThat(read.sees(new ChangeStamp(null, "ts:100:4", null))).isFalse();
    }

    @Test
    void aStampThatSaysNothingIsNotSeen() {
        ClusterTimePoint read = new ClusterTimePoint(time(100, 3));
        assertThat(read.sees(new ChangeStamp(null, null, null))).isFalse();
        assertThat(read.sees(new ChangeStamp("lsid:1", "resume:zz", "mongo:00AB")))
                .isFalse();
        assertThat(read.sees(new ChangeStamp(null, "ts:x:1", "pg:0000000000000001:0000000000000002")))
                .isFalse();
        assertThat(read.token()).isEqualTo("mongo-cluster-time:100.3");
    }
}
