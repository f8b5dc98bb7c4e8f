package io.undercurrent.ingest.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TopicReader;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MariaDB through the binlog into Kafka: every type's canonical form, transactions, positions. */
class MariaDbIngestIT {

    private static EmbeddedKafka kafka;
    private static LocalMariaDb db;
    private static SourceIngestor ingestor;
    private static TopicReader changes;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                LocalMariaDb.unsupportedReason() == null,
                () -> "MariaDB tests skipped: " + LocalMariaDb.unsupportedReason());
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("mariadb-it-kafka")));
        db = LocalMariaDb.start();
        db.execute(
                "",
                "create database app",
                "create table app.everything ("
                        + "id bigint primary key, tiny tinyint, small smallint, medium mediumint, regular int, big bigint,"
                        + " ubig bigint unsigned, price decimal(30,10), ratio double, f float, flag boolean, name varchar(100), body text,"
                        + " mood enum('happy','sad'), tags set('a','b','c'), uid uuid, doc json, day date, at_time time(6), span time,"
                        + " local_ts datetime(6), local_ms datetime(3), zoned timestamp(6) null, yr year, blob_col blob, bin binary(4))",
                "create table app.probe (id int primary key auto_increment, at timestamp default current_timestamp)");
        ingestor = Sources.startStreaming(
                Sources.source(
                        "shop", SourceKind.MARIADB, db.host(), db.port(), "app", LocalMariaDb.ROOT, "", List.of()),
                kafka.bootstrapServers());
        changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("shop"));
        awaitCapturing();
    }

    /** The engine reports running before it has read its binlog position; a probe row proves it streams. */
    private static void awaitCapturing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            db.execute("app", "insert into app.probe () values ()");
            if (!changes.awaitChangesOrEmpty(Duration.ofMillis(500)).isEmpty()) {
                return;
            }
        }
        throw new AssertionError("no change captured within 60 s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (changes != null) {
            changes.close();
        }
        if (ingestor != null) {
            ingestor.close();
        }
        if (db != null) {
            db.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ChangeEvent last(String table, Operation op, Object id) {
        List<ChangeEvent> all = changes.awaitChanges(
                Duration.ofSeconds(30),
                list -> list.stream()
                        .anyMatch(e -> e.table().equals(table)
                                && e.op() == op
                                && id.equals(e.key().get("id"))));
        return all.stream()
                .filter(e -> e.table().equals(table)
                        && e.op() == op
                        && id.equals(e.key().get("id")))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void everyTypeArrivesInItsCanonicalForm() throws Exception {
        db.execute(
                "app",
                "set time_zone = '+02:00'",
                "insert into app.everything values (1, -128, -32768, -8388608, -2147483648,"
                        + " -9223372036854775808, 18446744073709551615, 12345678901234567890.0123456789, 1.5e300, 1.1, true, 'héllo', 'long text',"
                        + " 'sad', 'a,c', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '{\"a\": [1, 2.5, null]}', '2024-05-01', '12:34:56.000001',"
                        + " '-838:59:59', '2024-05-01 14:00:00.123456', '2024-05-01 14:00:00.5', '2024-05-01 14:00:00.5', 2024, x'010203',"
                        + " x'00ff00ff')");

        Map<String, Object> row = last("app.everything", Operation.INSERT, 1L).after();

        assertThat(row.get("tiny")).isEqualTo(-128L);
        assertThat(row.get("small")).isEqualTo(-32768L);
        assertThat(row.get("medium")).isEqualTo(-8388608L);
        assertThat(row.get("regular")).isEqualTo(-2147483648L);
        assertThat(row.get("big")).isEqualTo(Long.MIN_VALUE);
        assertThat(new BigDecimal(row.get("ubig").toString())).isEqualByComparingTo("18446744073709551615");
        assertThat(row.get("price")).isEqualTo(new BigDecimal("12345678901234567890.0123456789"));
        // Decoded JSON numbers with a fraction come back as BigDecimal; canonical comparison is numeric.
        assertThat(new BigDecimal(row.get("ratio").toString())).isEqualByComparingTo("1.5e300");
        assertThat(new BigDecimal(row.get("f").toString()))
                .as("a FLOAT is widened exactly to double, as PostgreSQL's real")
                .isEqualByComparingTo("1.100000023841858");
        assertThat(row.get("flag")).isEqualTo(true);
        assertThat(row.get("name")).isEqualTo("héllo");
        assertThat(row.get("body")).isEqualTo("long text");
        assertThat(row.get("mood")).isEqualTo("sad");
        assertThat(row.get("tags")).isEqualTo("a,c");
        assertThat(row.get("uid")).isEqualTo("f47ac10b-58cc-4372-a567-0e02b2c3d479");
        assertThat(row.get("doc")).isEqualTo("{\"a\": [1, 2.5, null]}");
        assertThat(row.get("day")).isEqualTo("2024-05-01");
        assertThat(row.get("at_time")).isEqualTo("12:34:56.000001");
        assertThat(row.get("span")).isEqualTo("-838:59:59.000000");
        assertThat(row.get("local_ts")).isEqualTo("2024-05-01T14:00:00.123456");
        assertThat(row.get("local_ms")).isEqualTo("2024-05-01T14:00:00.500000");
        assertThat(row.get("zoned")).isEqualTo("2024-05-01T12:00:00.500000Z");
        assertThat(row.get("yr")).isEqualTo(2024L);
        assertThat(row.get("blob_col")).isEqualTo("AQID");
        assertThat(row.get("bin")).isEqualTo("AP8A/w==");
    }

    @Test
    void aWrongPasswordNeedsActionAndSaysSo() throws Exception {
        db.execute(
                "",
                "create user 'uc'@'%' identified by 'right'",
                "grant replication slave, binlog monitor, select on *.* to 'uc'@'%'");
        try (SourceIngestor wrong = new SourceIngestor(
                Sources.source("wrong", SourceKind.MARIADB, db.host(), db.port(), "app", "uc", "wrong", List.of()),
                Sources.settings(kafka.bootstrapServers()),
                java.time.Clock.systemUTC())) {
            wrong.start();
            Sources.awaitState(wrong, io.undercurrent.ingest.SourceHealth.State.NEEDS_ACTION, Duration.ofSeconds(30));
            assertThat(wrong.health().lastError()).contains("Access denied for user 'uc'", "Fix the user, password");
        }
    }

    @Test
    void aLeastPrivilegeUserStreams() throws Exception {
        db.execute(
                "",
                "create user 'lp'@'%' identified by 'secret'",
                "grant replication slave, binlog monitor, select, reload on *.* to 'lp'@'%'",
                "create table app.lp (id int primary key, v text)");
        try (SourceIngestor lp = Sources.startStreaming(
                        Sources.source(
                                "lp",
                                SourceKind.MARIADB,
                                db.host(),
                                db.port(),
                                "app",
                                "lp",
                                "secret",
                                List.of("app.lp")),
                        kafka.bootstrapServers());
                TopicReader lpChanges = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("lp"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int id = 0;
            while (lpChanges.awaitChangesOrEmpty(Duration.ofMillis(300)).isEmpty() && System.nanoTime() < deadline) {
                db.execute("app", "insert into app.lp values (" + (++id) + ", 'x')");
            }
            assertThat(lpChanges.changes()).isNotEmpty().allMatch(e -> e.table().equals("app.lp"));
            assertThat(lp.health().warnings()).isEmpty();
        }
    }

    @Test
    void updatesAndDeletesCarryTheFullOldRow() throws Exception {
        db.execute(
                "app",
                "insert into app.everything (id, name, ratio) values (2, 'before', 0.25)",
                "update app.everything set name = 'after' where id = 2",
                "delete from app.everything where id = 2");

        ChangeEvent update = last("app.everything", Operation.UPDATE, 2L);
        ChangeEvent delete = last("app.everything", Operation.DELETE, 2L);

        assertThat(update.before()).containsEntry("name", "before").containsEntry("ratio", new BigDecimal("0.25"));
        assertThat(update.after()).containsEntry("name", "after").containsEntry("ratio", new BigDecimal("0.25"));
        assertThat(delete.before()).containsEntry("name", "after");
        assertThat(delete.after()).isNull();
    }

    @Test
    void aTransactionIsNamedOnEachChangeAndEndsWithAMarker() throws Exception {
        db.execute(
                "app",
                "start transaction",
                "insert into app.everything (id, name) values (10, 'a')",
                "insert into app.everything (id, name) values (11, 'b')",
                "update app.probe set at = at where id = 1",
                "commit");

        ChangeEvent first = last("app.everything", Operation.INSERT, 10L);
        ChangeEvent second = last("app.everything", Operation.INSERT, 11L);

        assertThat(first.transaction()).isNotNull();
        assertThat(second.transaction().id()).isEqualTo(first.transaction().id());
        assertThat(second.transaction().totalOrder())
                .isEqualTo(first.transaction().totalOrder() + 1);
        assertThat(second.transaction().dataCollectionOrder()).isEqualTo(2);
        assertThat(first.txId()).matches("\\d+-1-\\d+");
        assertThat(first.position()).matches("binlog:mariadb-bin\\.\\d+:\\d+:0;gtid:" + first.txId());
        assertThat(first.sourceOrder()).matches("binlog(:\\p{XDigit}{16}){4}");
        assertThat(second.sourceOrder())
                .as("the later change of the transaction")
                .isGreaterThan(first.sourceOrder());
        try (TopicReader markers = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.transactions("shop"))) {
            markers.awaitMarkers(1, Duration.ofSeconds(30));
            TransactionMarker marker = markers.awaitMarkersMatching(
                    Duration.ofSeconds(30),
                    m -> m.id().equals(first.transaction().id()));
            assertThat(marker.eventCount()).isEqualTo(2);
            assertThat(marker.eventsPerTable()).containsEntry("app.everything", 2L);
        }
    }
}
