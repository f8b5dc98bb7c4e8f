package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.testing.Sources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Each dialect's source order, from the fields Debezium puts in a record: it grows in the order the
 * source delivers changes (also where the plain position does not), and a change delivered again
 * after a restart gets the same order, so a reader keeping a high-water mark drops exactly the replays.
 */
class SourceOrderDialectsTest {

    private static final Schema PG_SOURCE = SchemaBuilder.struct()
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema BINLOG_SOURCE = SchemaBuilder.struct()
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema MONGO_SOURCE =
            SchemaBuilder.struct().field("ord", Schema.OPTIONAL_INT32_SCHEMA).build();

    private final PostgresDialect postgres = new PostgresDialect(
            new SourceSettings("app", SourceKind.POSTGRES, "localhost", 5432, "db", "u", "p", List.of(), Map.of()));
    private final BinlogDialect binlog = new BinlogDialect(
            new SourceSettings("app", SourceKind.MARIADB, "localhost", 3306, "db", "u", "p", List.of(), Map.of()),
            Sources.settings("localhost:9092"));
    private final MongoDialect mongo = new MongoDialect(new SourceSettings(
            "app",
            SourceKind.MONGODB,
            "localhost",
            27017,
            "shop",
            null,
            null,
            List.of(),
            Map.of(),
            "mongodb://localhost:27017/?replicaSet=rs0"));

    private String pg(String sequence, long lsn) {
        Struct source = new Struct(PG_SOURCE).put("lsn", lsn).put("sequence", sequence);
        return postgres.sourceOrder(record(Map.of()), source);
    }

    /** As Debezium writes a change's source offset: zero skip counts are left out. */
    private String binlog(String file, long pos, int event, int row) {
        Map<String, Object> offset = new HashMap<>();
        offset.put("file", file);
        offset.put("pos", pos);
        if (event != 0) {
            offset.put("event", (long) event);
        }
        if (row != 0) {
            offset.put("row", row);
        }
        // the source block's pos is the same for several changes of a transaction: it must not matter
        Struct source =
                new Struct(BINLOG_SOURCE).put("file", file).put("pos", 4L).put("row", 0);
        return binlog.sourceOrder(record(offset), source);
    }

    private String mongo(String resumeToken) {
        Map<String, Object> offset = new HashMap<>();
        offset.put("sec", 1_717_000_000);
        offset.put("ord", 1);
        if (resumeToken != null) {
            offset.put("resume_token", resumeToken);
        }
        return mongo.sourceOrder(record(offset), new Struct(MONGO_SOURCE).put("ord", 1));
    }

    private static SourceRecord record(Map<String, ?> offset) {
        return new SourceRecord(Map.of(), offset, "t", null, null);
    }

    @Test
    void postgresOrdersInterleavedTransactionsByCommitAndAReplayRepeatsTheSameOrders() {
        // T1 wrote at 500 and 900 and committed (end of commit record 1000); T2 began before T1 wrote
        // (its change at 300) and committed later, so logical decoding sends it after T1.
        List<String> delivered = List.of(
                pg("[\"100\",\"500\"]", 500), pg("[\"100\",\"900\"]", 900),
                pg("[\"1000\",\"300\"]", 300), pg("[\"1000\",\"1200\"]", 1200));
        // ordered although T2's change has the lowest LSN of all
        assertThat(delivered).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();

        // ingest restarts from the offset it committed after T1's first change: the rest comes again
        List<String> replayed = List.of(pg("[\"100\",\"900\"]", 900), pg("[\"1000\",\"300\"]", 300));
        String highWater = delivered.get(delivered.size() - 1);
        assertThat(replayed).allMatch(order -> order.compareTo(highWater) <= 0).isSubsetOf(delivered);
    }

    @Test
    void postgresWithoutACommitSoFarCountsFromZeroAndWithoutASequenceHasNoOrder() {
        assertThat(pg("[null,\"500\"]", 500)).isEqualTo("pg:0000000000000000:00000000000001f4");
        assertThat(pg("[null,\"500\"]", 500)).isLessThan(pg("[\"600\",\"400\"]", 400));
        assertThat(pg(null, 500)).isNull();
        assertThat(pg("not a sequence", 500)).isNull();
        assertThat(postgres.sourceOrder(
                        record(Map.of()),
                        new Struct(SchemaBuilder.struct()
                                        .field("lsn", Schema.INT64_SCHEMA)
                                        .build())
                                .put("lsn", 5L)))
                .as("a source block without sequence")
                .isNull();
    }

    @Test
    void binlogOrdersByFileTransactionEventAndRowAcrossARotationAndRepeatsOnReplay() {
        List<String> delivered = new ArrayList<>(List.of(
                binlog("mysql-bin.000009", 4_000_000, 2, 1),
                binlog("mysql-bin.000009", 4_000_000, 2, 2), // two rows of one event
                binlog("mysql-bin.000009", 4_000_000, 4, 1), // the next statement
                binlog("mysql-bin.000009", 4_000_500, 2, 1), // the next transaction
                binlog("mysql-bin.000010", 4, 2, 1))); // after a rotation
        assertThat(delivered).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
        assertThat(binlog("mysql-bin.000009", 4_000_000, 4, 1))
                .as("the same change after a restart")
                .isEqualTo(delivered.get(2));
        assertThat(binlog("no-index", 4, 0, 0)).isNull();
    }

    @Test
    void mongoOrdersByTheResumeTokenAndHasNoOrderWithoutOne() {
        assertThat(mongo("8266601C2E000000012B022C0100296E5A1004"))
                .isLessThan(mongo("8266601C2F000000012B022C0100296E5A1004"));
        assertThat(mongo("8266601C2E000000012B022C0100296E5A1004"))
                .isEqualTo(mongo("8266601c2e000000012b022c0100296e5a1004"));
        assertThat(mongo(null)).isNull();
    }
}
