package io.undercurrent.server.lookups;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.postgres.internal.PgSnapshotPoint;
import org.junit.jupiter.api.Test;

/** When the lookup feeder has passed an edge's read on one partition. */
class PassageTest {

    /** A read that saw transactions up to 104, except 101 and 103 (still running when it read). */
    private static final PgSnapshotPoint READ = PgSnapshotPoint.parse("100:105:101,103");

    private static ChangeStamp tx(long xid) {
        return new ChangeStamp(Long.toString(xid), null, null);
    }

    @Test
    void aChangeAfterTheReadPassesItAsBefore() {
        assertThat(Passage.of(READ, tx(101), null, true)).isEqualTo(Passage.PASSED);
        assertThat(Passage.of(READ, tx(105), "90:95:", true)).isEqualTo(Passage.PASSED);
    }

    @Test
    void aWatermarkAfterTheReadPassesItWithNoChangeAfterIt() {
        assertThat(Passage.of(READ, tx(102), "101:106:101,103", true)).isEqualTo(Passage.PASSED);
        assertThat(Passage.of(READ, null, "106:106:", true)).isEqualTo(Passage.PASSED);
    }

    @Test
    void withWatermarksAPartitionWhoseLastWatermarkIsBeforeTheReadWaitsHoweverQuietItIs() {
        // Ingest lags: 104, which the read saw, may not be in Kafka yet. The old grace would pass it.
        assertThat(Passage.of(READ, tx(102), "100:104:101,103", true)).isEqualTo(Passage.WAIT);
        assertThat(Passage.of(READ, null, "100:106:101,102,103", true)).isEqualTo(Passage.WAIT);
        assertThat(Passage.of(READ, null, null, true))
                .as("no watermark read on this partition yet")
                .isEqualTo(Passage.WAIT);
    }

    @Test
    void withoutWatermarksOrWithAPointThatCannotCompareThemTheGraceDecides() {
        assertThat(Passage.of(READ, tx(102), null, false)).isEqualTo(Passage.GRACE);
        assertThat(Passage.of(READ, null, "100:104:", false))
                .as("the last watermark is old: the source stopped writing them")
                .isEqualTo(Passage.GRACE);
        ReadPoint binlog = new ReadPoint() {
            @Override
            public boolean sees(ChangeStamp change) {
                return true;
            }

            @Override
            public String token() {
                return "binlog";
            }
        };
        assertThat(Passage.of(binlog, null, "106:106:", true)).isEqualTo(Passage.GRACE);
    }
}
