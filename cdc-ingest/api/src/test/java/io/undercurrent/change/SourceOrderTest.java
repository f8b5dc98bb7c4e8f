package io.undercurrent.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source orders compare as plain strings exactly as the positions they stand for. */
class SourceOrderTest {

    @Test
    void postgresOrdersByTheCommitBeforeTheTransactionThenByTheChangesOwnLsn() {
        String first = SourceOrder.postgres(0x10, 0x500);
        String laterInSameTransaction = SourceOrder.postgres(0x10, 0x1000);
        // began before the previous transaction's changes but committed after it: its own LSN is lower
        String nextTransaction = SourceOrder.postgres(0x2000, 0x80);
        assertThat(first).isLessThan(laterInSameTransaction);
        assertThat(laterInSameTransaction).isLessThan(nextTransaction);
        assertThat(SourceOrder.postgres(9, 1))
                .as("numeric, not textual, order")
                .isLessThan(SourceOrder.postgres(10, 1));
        assertThat(SourceOrder.postgres(0x7fff_ffff_ffff_ffffL, 1))
                .as("unsigned")
                .isLessThan(SourceOrder.postgres(0x8000_0000_0000_0000L, 1));
    }

    @Test
    void binlogOrdersByFileThenTransactionThenEventThenRow() {
        assertThat(SourceOrder.binlog(9, 4_000_000, 9, 9)).isLessThan(SourceOrder.binlog(10, 4, 0, 0));
        assertThat(SourceOrder.binlog(10, 4, 2, 1)).isLessThan(SourceOrder.binlog(10, 4, 2, 2));
        assertThat(SourceOrder.binlog(10, 4, 2, 11)).isLessThan(SourceOrder.binlog(10, 4, 4, 1));
        assertThat(SourceOrder.binlog(10, 4, 40, 11)).isLessThan(SourceOrder.binlog(10, 200, 2, 1));
    }

    @Test
    void mongoOrdersByResumeTokenDataWhateverItsCase() {
        String earlier = SourceOrder.mongo("8266601C2E000000012B022C0100296E5A1004");
        String laterOpOfSameTransaction = SourceOrder.mongo("8266601c2e000000012b022c0100296e5a1005");
        String laterClusterTime = SourceOrder.mongo("8266601C2F000000012B022C0100296E5A1004");
        assertThat(earlier).isLessThan(laterOpOfSameTransaction).isLessThan(laterClusterTime);
    }

    @Test
    void onlyAChangeAboveTheHighWaterMarkIsNew() {
        String mark = SourceOrder.postgres(5, 5);
        assertThat(SourceOrder.isAfter(SourceOrder.postgres(5, 6), mark)).isTrue();
        assertThat(SourceOrder.isAfter(mark, mark)).as("the same change again").isFalse();
        assertThat(SourceOrder.isAfter(SourceOrder.postgres(5, 4), mark)).isFalse();
        assertThat(SourceOrder.isAfter(null, mark))
                .as("no order: nothing can be said, nothing is dropped")
                .isTrue();
        assertThat(SourceOrder.isAfter(mark, null)).isTrue();
    }

    @Test
    void travelsInTheChangeEventAndIsNullInEventsWrittenBeforeIt() {
        ChangeEventCodec codec = new ChangeEventCodec();
        ChangeEvent event = new ChangeEvent(
                1,
                "app",
                "public.t",
                Operation.INSERT,
                Map.of("id", 1L),
                null,
                Map.of("id", 1L),
                List.of(),
                "lsn:42",
                "7",
                0,
                0,
                null,
                SourceOrder.postgres(40, 42));
        assertThat(codec.decode(codec.encode(event)).sourceOrder()).isEqualTo("pg:0000000000000028:000000000000002a");

        String older =
                "{\"version\":1,\"source\":\"app\",\"table\":\"t\",\"op\":\"INSERT\",\"key\":{\"id\":1},\"after\":{\"id\":1}}";
        assertThat(codec.decode(older.getBytes(StandardCharsets.UTF_8)).sourceOrder())
                .isNull();
    }
}
