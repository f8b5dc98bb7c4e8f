package io.undercurrent.source.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.ChangeStamp;
import org.junit.jupiter.api.Test;

class GtidSetPointTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "8a94f357-aab4-11df-86ab-c80aa9429563";

    private final GtidSetPoint point = new GtidSetPoint(GtidSet.parse(A + ":1-5:7," + B + ":1-3"));

    /** What ingest's MySQL change events carry: the GTID as txId, the binlog position, the binlog order. */
    private static ChangeStamp change(String gtid) {
        return new ChangeStamp(
                gtid, "binlog:mysql-bin.000003:1200:0" + (gtid == null ? "" : ";gtid:" + gtid), "binlog:3:4b0:0:1");
    }

    @Test
    void aChangeIsSeenWhenItsGtidIsInTheExecutedSet() {
        assertThat(point.sees(change(A + ":5"))).isTrue();
        assertThat(point.sees(change(A + ":7"))).isTrue();
        assertThat(point.sees(change(B + ":1"))).isTrue();
    }

    @Test
    void aChangeWhoseGtidIsNotInTheSetIsNot() {
        assertThat(point.sees(change(A + ":6")))
                .as("a gap: committed after the snapshot")
                .isFalse();
        assertThat(point.sees(change(A + ":8"))).isFalse();
        assertThat(point.sees(change(B + ":4"))).isFalse();
        assertThat(point.sees(change("00000000-0000-0000-0000-000000000001:1"))).isFalse();
    }

    @Test
    void aChangeWithoutAGtidIsNotSeen() {
        assertThat(point.sees(change(null))).isFalse();
        assertThat(point.sees(new ChangeStamp(null, null, null))).isFalse();
        assertThat(point.sees(new ChangeStamp("0-1-5", null, null)))
                .as("a MariaDB GTID")
                .isFalse();
    }

    @Test
    void theTokenReadsBackToTheSameAnswers() {
        assertThat(point.token()).isEqualTo("gtid:" + A + ":1-5:7," + B + ":1-3");
        GtidSetPoint back = GtidSetPoint.parse(point.token());
        assertThat(back.token()).isEqualTo(point.token());
        assertThat(back.sees(change(A + ":7"))).isTrue();
        assertThat(back.sees(change(A + ":6"))).isFalse();
        assertThat(GtidSetPoint.parse("gtid:").sees(change(A + ":1")))
                .as("nothing executed")
                .isFalse();
    }

    @Test
    void aTokenOfAnotherKindIsRefused() {
        assertThatThrownBy(() -> GtidSetPoint.parse("binlog:./mariadb-bin.000001:400"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gtid:<set>");
        assertThatThrownBy(() -> GtidSetPoint.parse("gtid:nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a MySQL GTID set");
    }
}
