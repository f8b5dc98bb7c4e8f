package io.undercurrent.ingest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.change.Watermark;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TestDatabase;
import io.undercurrent.ingest.testing.TopicReader;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.postgres.internal.PgSnapshotPoint;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Postgres in depth: every type's canonical form, transactions, start-up checks, least privilege, heartbeats. */
class PostgresIngestIT {

    private static EmbeddedKafka kafka;
    private static LocalPostgres pg;
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("pg-it-kafka")));
        pg = LocalPostgres.start(LocalPostgres.Options.defaults());
        db = TestDatabase.postgres(pg);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static SourceSettings superuserSource(String name, List<String> tables, Map<String, String> options) {
        return new SourceSettings(
                name,
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                pg.user(),
                pg.password(),
                tables,
                options);
    }

    @Test
    void everyTypeArrivesInItsCanonicalFormWithItsTransaction() throws Exception {
        db.execute(
                "create type mood as enum ('happy', 'sad')",
                "create table everything (id bigint primary key, small smallint, "
                        + "regular integer, price numeric(40,10), anyscale numeric, r real, d double precision, flag boolean, body text, "
                        + "uid uuid, doc json, docb jsonb, ints integer[], words text[], m mood, day date, at_time time(6), local_ts timestamp(6), "
                        + "zoned timestamptz, bytes bytea)",
                "alter table everything replica identity full");
        try (SourceIngestor ingestor = Sources.startStreaming(
                        superuserSource("types", List.of("public.everything"), Map.of()), kafka.bootstrapServers());
                TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("types"))) {
            db.execute(
                    "begin",
                    "set local time zone '+02'",
                    "insert into everything values (1, -32768, 2147483647, "
                            + "123456789012345678901234567890.0123456789, 1e-20, 1.1, 1.5e300, true, 'héllo', "
                            + "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{\"a\": [1, 2.5, null]}', '{\"b\": {\"c\": true}}', '{1,2,3}', "
                            + "'{\"x\",\"y z\"}', 'sad', '2024-05-01', '12:34:56.000001', '2024-05-01 14:00:00.123456', "
                            + "'2024-05-01 14:00:00.5+02', '\\x010203')",
                    "update everything set flag = false where id = 1",
                    "commit");

            List<ChangeEvent> events = changes.awaitChanges(2, Duration.ofSeconds(30));
            Map<String, Object> row = events.get(0).after();

            assertThat(row.get("small")).isEqualTo(-32768L);
            assertThat(row.get("regular")).isEqualTo(2147483647L);
            assertThat(row.get("price")).isEqualTo(new BigDecimal("123456789012345678901234567890.0123456789"));
            assertThat(new BigDecimal(row.get("anyscale").toString())).isEqualByComparingTo("1e-20");
            assertThat(new BigDecimal(row.get("r").toString()))
                    .as("a real is widened exactly, as a snapshot reads it")
                    .isEqualByComparingTo(Double.toString((double) 1.1f))
                    .isEqualByComparingTo("1.100000023841858");
            assertThat(new BigDecimal(row.get("d").toString())).isEqualByComparingTo("1.5e300");
            assertThat(row.get("flag")).isEqualTo(true);
            assertThat(row.get("body")).isEqualTo("héllo");
            assertThat(row.get("uid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(row.get("doc")).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, new BigDecimal("2.5"), null)));
            assertThat(row.get("docb")).isEqualTo(Map.of("b", Map.of("c", true)));
            assertThat(row.get("ints")).isEqualTo(List.of(1L, 2L, 3L));
            assertThat(row.get("words")).isEqualTo(List.of("x", "y z"));
            assertThat(row.get("m")).isEqualTo("sad");
            assertThat(row.get("day")).isEqualTo("2024-05-01");
            assertThat(row.get("at_time")).isEqualTo("12:34:56.000001");
            assertThat(row.get("local_ts")).isEqualTo("2024-05-01T14:00:00.123456");
            assertThat(row.get("zoned")).isEqualTo("2024-05-01T12:00:00.500000Z");
            assertThat(row.get("bytes")).isEqualTo("AQID");

            ChangeEvent insert = events.get(0);
            ChangeEvent update = events.get(1);
            assertThat(update.op()).isEqualTo(Operation.UPDATE);
            assertThat(update.before()).containsEntry("flag", true);
            assertThat(insert.position()).matches("lsn:\\d+");
            assertThat(insert.sourceOrder()).matches("pg:\\p{XDigit}{16}:\\p{XDigit}{16}");
            assertThat(update.sourceOrder())
                    .as("the later change of the transaction")
                    .isGreaterThan(insert.sourceOrder());
            assertThat(update.transaction().id())
                    .isEqualTo(insert.transaction().id())
                    .isEqualTo(insert.txId());
            assertThat(List.of(
                            insert.transaction().totalOrder(),
                            update.transaction().totalOrder()))
                    .containsExactly(1L, 2L);
            try (TopicReader markers =
                    new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.transactions("types"))) {
                var marker = markers.awaitMarkersMatching(
                        Duration.ofSeconds(30),
                        m -> m.id().equals(insert.transaction().id()));
                assertThat(marker.eventCount()).isEqualTo(2);
                assertThat(marker.eventsPerTable()).containsEntry("public.everything", 2L);
            }
        }
    }

    @Test
    void stoppingIngestClosesItsOffsetStoresAdminClient() throws Exception {
        db.execute("create table stopping (id int primary key)");
        try (SourceIngestor ingestor = Sources.startStreaming(
                superuserSource("stopping", List.of("public.stopping"), Map.of()), kafka.bootstrapServers())) {
            assertThat(offsetStoreAdminThreads()).isNotEmpty();
        }

        // Left open, it would reconnect to Kafka about once a second for the rest of the JVM once Kafka stops.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(offsetStoreAdminThreads()).isEmpty());
    }

    /** The network threads of the offset stores' admin clients ({@code kafka-admin-client-thread | <client id>}). */
    private static List<String> offsetStoreAdminThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains("shared-admin"))
                .toList();
    }

    @Test
    void tablesWithoutFullReplicaIdentityAreReportedWithWhatIsLost() throws Exception {
        db.execute("create table plain (id int primary key, title text)");
        try (SourceIngestor ingestor = Sources.startStreaming(
                superuserSource("plain", List.of("public.plain"), Map.of()), kafka.bootstrapServers())) {
            assertThat(ingestor.health().warnings())
                    .singleElement()
                    .asString()
                    .contains(
                            "[public.plain] do not have REPLICA IDENTITY FULL",
                            "What you lose",
                            "ALTER TABLE <table> REPLICA IDENTITY FULL");
        }
    }

    @Test
    void leastPrivilegeUserWithAPublicationMadeByTheDbaAndATableAddedLater() throws Exception {
        db.execute(
                "create table lp_a (id int primary key, v text)",
                "create table lp_b (id int primary key, v text)",
                "create table lp_c (id int primary key, v text)",
                "create role uc_reader with login replication password 'reader'",
                "grant select on lp_a to uc_reader",
                "create publication undercurrent_lp for table lp_a");
        SourceSettings onlyA = new SourceSettings(
                "lp",
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                "uc_reader",
                "reader",
                List.of("public.lp_a"),
                Map.of());
        try (SourceIngestor ingestor = Sources.startStreaming(onlyA, kafka.bootstrapServers());
                TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("lp"))) {
            db.execute("insert into lp_a values (1, 'a')");
            assertThat(changes.awaitChanges(1, Duration.ofSeconds(30)).get(0).table())
                    .isEqualTo("public.lp_a");
        }

        // Listing a table the user may neither read nor add to the publication says exactly what the DBA must run.
        SourceSettings withC = new SourceSettings(
                "lp",
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                "uc_reader",
                "reader",
                List.of("public.lp_a", "public.lp_c"),
                Map.of());
        try (SourceIngestor ingestor =
                new SourceIngestor(withC, Sources.settings(kafka.bootstrapServers()), Clock.systemUTC())) {
            ingestor.start();
            Sources.awaitState(ingestor, SourceHealth.State.NEEDS_ACTION, Duration.ofSeconds(30));
            assertThat(ingestor.health().lastError())
                    .contains(
                            "2 problems",
                            "GRANT SELECT ON public.lp_c TO uc_reader",
                            "ALTER PUBLICATION undercurrent_lp ADD TABLE public.lp_c");
        }

        // The documented way to add a table later: the DBA adds it to the publication and grants SELECT; then list it.
        db.execute("alter publication undercurrent_lp add table lp_b", "grant select on lp_b to uc_reader");
        SourceSettings withB = new SourceSettings(
                "lp",
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                "uc_reader",
                "reader",
                List.of("public.lp_a", "public.lp_b"),
                Map.of());
        try (SourceIngestor ingestor = Sources.startStreaming(withB, kafka.bootstrapServers());
                TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("lp"))) {
            db.execute("insert into lp_b values (1, 'b')");
            changes.awaitChanges(
                    Duration.ofSeconds(30),
                    list -> list.stream().anyMatch(e -> e.table().equals("public.lp_b")));
        }
    }

    @Test
    void watermarksReachEveryPartitionBehindEveryChangeTheirSnapshotSees() throws Exception {
        db.execute(
                "create table marks (id int primary key, v text)",
                "create role uc_marks with login replication password 'marks'",
                "grant select on marks to uc_marks",
                "create publication undercurrent_marks for table marks");
        // The least-privilege user: watermarks need no privilege beyond what capture needs.
        SourceSettings leastPrivilege = new SourceSettings(
                "marks",
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                "uc_marks",
                "marks",
                List.of("public.marks"),
                Map.of());
        try (SourceIngestor ingestor = Sources.startStreaming(leastPrivilege, kafka.bootstrapServers());
                TopicReader topic = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("marks"))) {
            for (int i = 1; i <= 30; i++) {
                db.execute("insert into marks values (" + i + ", 'v')");
            }
            PgSnapshotPoint read = PgSnapshotPoint.parse(query("select pg_current_snapshot()::text"));

            topic.awaitRecords(
                    Duration.ofSeconds(30),
                    partitions -> partitions.size() == 3
                            && partitions.values().stream()
                                    .allMatch(records -> records.stream()
                                            .anyMatch(r -> r instanceof Watermark w
                                                    && read.passedBy(w.point()) == ReadPoint.Passage.AFTER)));

            int seenBeforeAPassingWatermark = 0;
            for (List<Object> records : topic.recordsByPartition().values()) {
                boolean passed = false;
                for (int i = 0; i < records.size(); i++) {
                    if (records.get(i) instanceof Watermark w) {
                        assertThat(w.source()).isEqualTo("marks");
                        PgSnapshotPoint mark = PgSnapshotPoint.parse(w.point());
                        passed |= read.passedBy(mark);
                        for (Object later : records.subList(i + 1, records.size())) {
                            if (later instanceof ChangeEvent change) {
                                assertThat(mark.sees(change.stamp()))
                                        .as("change of tx %s behind watermark %s", change.txId(), w.point())
                                        .isFalse();
                            }
                        }
                    } else if (!passed && read.sees(((ChangeEvent) records.get(i)).stamp())) {
                        seenBeforeAPassingWatermark++;
                    }
                }
            }
            assertThat(seenBeforeAPassingWatermark)
                    .as("every insert the read sees is in its partition before a watermark that passes the read")
                    .isEqualTo(30);
            assertThat(topic.changes()).hasSize(30);
        }
    }

    @Test
    void heartbeatsLetTheSlotAdvanceWhileCapturedTablesAreIdle() throws Exception {
        db.execute("create table idle (id int primary key)");
        pg.createDatabaseIfMissing("busy");
        try (SourceIngestor ingestor = Sources.startStreaming(
                        superuserSource("idle", List.of("public.idle"), Map.of("heartbeat.interval.ms", "300")),
                        kafka.bootstrapServers());
                Connection busy = DriverManager.getConnection(pg.jdbcUrl("busy"), pg.user(), pg.password());
                Statement s = busy.createStatement()) {
            s.execute("create table noise as select g as id, repeat('x', 200) as pad from generate_series(1, 20000) g");
            String walAfterNoise = query("select pg_current_wal_lsn()::text");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "t"
                            .equals(query("select confirmed_flush_lsn >= '" + walAfterNoise
                                    + "'::pg_lsn from pg_replication_slots "
                                    + "where slot_name = 'undercurrent_idle'")));
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
