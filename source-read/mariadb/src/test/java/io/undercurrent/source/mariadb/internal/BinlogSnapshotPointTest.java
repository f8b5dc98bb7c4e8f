package io.undercurrent.source.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.change.SourceOrder;
import org.junit.jupiter.api.Test;

class BinlogSnapshotPointTest {

    private final BinlogSnapshotPoint point = BinlogSnapshotPoint.of("./mariadb-bin.000007", 1_000);

    private static ChangeStamp at(long file, long position, long event, long row) {
        return new ChangeStamp(
                "0-1-5",
                "binlog:mariadb-bin.000007:" + position + ":" + row,
                SourceOrder.binlog(file, position, event, row));
    }

    @Test
    void aTransactionStartingBeforeThePositionIsSeenWithEveryRowOfIt() {
        assertThat(point.sees(at(7, 999, 0, 1))).isTrue();
        assertThat(point.sees(at(7, 4, 3, 250))).isTrue();
    }

    @Test
    void aTransactionStartingAtOrAfterThePositionIsNot() {
        assertThat(point.sees(at(7, 1_000, 0, 1))).isFalse();
        assertThat(point.sees(at(7, 5_000, 0, 1))).isFalse();
    }

    @Test
    void earlierFilesAreSeenLaterOnesNot() {
        assertThat(point.sees(at(6, 1L << 40, 0, 1))).isTrue();
        assertThat(point.sees(at(8, 4, 0, 1))).isFalse();
    }

    @Test
    void aStampWithoutABinlogOrderIsNotSeen() {
        assertThat(point.sees(new ChangeStamp("0-1-5", null, null))).isFalse();
        assertThat(point.sees(new ChangeStamp(null, null, SourceOrder.postgres(1, 2))))
                .isFalse();
        assertThat(point.sees(new ChangeStamp(null, null, "binlog:zz"))).isFalse();
    }

    @Test
    void theTokenNamesFileAndPosition() {
        assertThat(point.token()).isEqualTo("binlog:./mariadb-bin.000007:1000");
        assertThatThrownBy(() -> BinlogSnapshotPoint.of("binlog", 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
