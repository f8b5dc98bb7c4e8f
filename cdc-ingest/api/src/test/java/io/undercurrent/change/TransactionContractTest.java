package io.undercurrent.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The additions to version 1: transaction blocks, end markers, and compatibility with events written before them. */
class TransactionContractTest {

    private final ChangeEventCodec codec = new ChangeEventCodec();

    @Test
    void transactionBlockRoundTrips() {
        ChangeEvent event = new ChangeEvent(
                1,
                "app",
                "app.orders",
                Operation.UPDATE,
                Map.of("id", 1L),
                Map.of("id", 1L),
                Map.of("id", 1L),
                List.of(),
                "binlog:mysql-bin.000003:1042:0;gtid:0-1-17",
                "0-1-17",
                10,
                11,
                new Transaction("0-1-17", 3, 2));

        ChangeEvent back = codec.decode(codec.encode(event));

        assertThat(back).isEqualTo(event);
        assertThat(back.transaction().totalOrder()).isEqualTo(3);
    }

    @Test
    void eventsWrittenBeforeTransactionsExistedStillDecode() {
        String old = "{\"version\":1,\"source\":\"app\",\"table\":\"public.t\",\"op\":\"INSERT\",\"key\":{\"id\":1},"
                + "\"before\":null,\"after\":{\"id\":1},\"unavailable\":[],\"position\":\"lsn:1\",\"txId\":\"5\","
                + "\"commitTimeMs\":1,\"ingestTimeMs\":2}";

        ChangeEvent event = codec.decode(old.getBytes(StandardCharsets.UTF_8));

        assertThat(event.transaction()).isNull();
        assertThat(event.after()).containsEntry("id", 1L);
    }

    @Test
    void readersThatPredateAFieldIgnoreIt() {
        String newer = "{\"version\":1,\"source\":\"app\",\"table\":\"public.t\",\"op\":\"DELETE\",\"key\":{\"id\":1},"
                + "\"before\":{\"id\":1},\"after\":null,\"position\":\"lsn:1\",\"commitTimeMs\":1,\"ingestTimeMs\":2,"
                + "\"someFutureField\":{\"x\":1}}";

        assertThat(codec.decode(newer.getBytes(StandardCharsets.UTF_8)).op()).isEqualTo(Operation.DELETE);
    }

    @Test
    void markerRoundTripsWithCountsPerTable() {
        TransactionMarker marker = new TransactionMarker(
                1, "app", "731:4242", 3, Map.of("public.todos", 2L, "public.projects", 1L), 1_700_000_000_000L);

        TransactionMarker back = codec.decodeMarker(codec.encodeMarker(marker));

        assertThat(back).isEqualTo(marker);
        assertThat(back.eventsPerTable()).containsEntry("public.todos", 2L);
    }

    @Test
    void integersPast64BitsComeBackExact() {
        java.math.BigInteger max = new java.math.BigInteger("18446744073709551615");
        ChangeEvent event = new ChangeEvent(
                1,
                "app",
                "app.t",
                Operation.INSERT,
                Map.of("id", 1L),
                null,
                Map.of("id", 1L, "ubig", max, "nested", Map.of("n", max, "small", 3L)),
                List.of(),
                "p",
                null,
                0,
                0);

        ChangeEvent back = codec.decode(codec.encode(event));

        assertThat(back.after()).containsEntry("ubig", max).containsEntry("id", 1L);
        assertThat(back.after().get("nested")).isEqualTo(Map.of("n", max, "small", 3L));
    }

    @Test
    void ordersStartAtOne() {
        assertThatThrownBy(() -> new Transaction("t", 0, 1)).hasMessageContaining("orders start at 1");
    }

    @Test
    void topicsForMarkersAndSchemaHistory() {
        Topics topics = new Topics("uc");
        assertThat(topics.transactions("app")).isEqualTo("uc.transactions.app");
        assertThat(topics.schemaHistory("app")).isEqualTo("uc.schema-history.app");
        assertThat(topics.allChanges().matcher(topics.transactions("app")).matches())
                .isFalse();
    }
}
