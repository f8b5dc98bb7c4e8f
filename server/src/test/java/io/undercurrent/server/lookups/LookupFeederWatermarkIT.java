package io.undercurrent.server.lookups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.Operation;
import io.undercurrent.change.Topics;
import io.undercurrent.change.Watermark;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.TableRef;
import io.undercurrent.server.NoRules;
import io.undercurrent.source.postgres.PostgresReaderSettings;
import io.undercurrent.source.postgres.PostgresSourceReader;
import io.undercurrent.source.postgres.internal.PgSnapshotPoint;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An edge's read judged by lookups while ingest lags: the test plays ingest, so the change topic lags
 * the database exactly as far as the test says. A membership deleted before the read but not yet in
 * Kafka must keep the read from counting as judged against current lookups, however long the topic
 * stays quiet; the watermark ingest publishes behind the delete releases it at once.
 */
class LookupFeederWatermarkIT {

    private static final Topics TOPICS = new Topics("wm");
    private static final String TOPIC = TOPICS.changes("app");
    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");
    private static final int PARTITIONS = 3;

    private static EmbeddedKafka kafka;
    private static LocalPostgres pg;
    private static KafkaProducer<byte[], byte[]> producer;
    private final ChangeEventCodec codec = new ChangeEventCodec();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("wm-kafka")));
        pg = LocalPostgres.start(LocalPostgres.Options.defaults());
        execute(
                "create table memberships (group_id text, user_id text, primary key (group_id, user_id))",
                "insert into memberships values ('g1', 'carol')");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aReadWaitsForAWatermarkAfterItWhileIngestLagsAndIsReleasedWhenOneArrives() throws Exception {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        store.declare(Set.of(new LookupIndex(MEMBERSHIPS, List.of("user_id"))));
        try (PostgresSourceReader reader = new PostgresSourceReader(
                        new PostgresReaderSettings("app", pg.jdbcUrl(), pg.user(), pg.password(), 2, null));
                LookupFeederHandle feeder = new LookupFeederHandle(new LookupFeeder(
                        store,
                        Map.of("app", reader),
                        TOPICS,
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        tables -> {},
                        () -> NoRules.INSTANCE))) {
            feeder.feeder.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> store.isReady(MEMBERSHIPS));
            Map<String, Object> carol = key("g1", "carol");
            assertThat(store.row(MEMBERSHIPS, carol)).isNotNull();

            // Ingest writes watermarks: one after a read releases it.
            PgSnapshotPoint before = snapshot();
            publishWatermark(snapshot().token());
            assertThat(feeder.feeder.settled(List.of(), Map.of(), feeder.feeder.mark(), "app", before))
                    .isTrue();

            // carol leaves the group, committed; ingest lags: neither the delete nor a later watermark is in Kafka.
            String xid = deleteMembership();
            PgSnapshotPoint read = snapshot();
            publishWatermark(before.token()); // an older watermark arrives: it does not pass the read
            long asked = System.nanoTime();
            boolean settled = feeder.feeder.settled(List.of(), Map.of(), feeder.feeder.mark(), "app", read);
            assertThat(settled)
                    .as("a read seeing carol's delete is not judged while the feeder still holds her membership")
                    .isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThan(Duration.ofSeconds(1));
            assertThat(store.row(MEMBERSHIPS, carol))
                    .as("the lookups lag the read")
                    .isNotNull();

            // Ingest catches up: the delete, then a watermark after the read; the read is released when it arrives.
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return feeder.feeder.settled(List.of(), Map.of(), feeder.feeder.mark(), "app", read);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            publishDelete(carol, xid);
            String after = snapshot().token();
            long published = System.nanoTime();
            publishWatermark(after);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - published))
                    .as("released by the watermark, not by a timeout")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(store.row(MEMBERSHIPS, carol))
                    .as("judged against the lookups as of the read")
                    .isNull();
        }
    }

    private void publishWatermark(String point) throws Exception {
        byte[] value = codec.encodeWatermark(new Watermark("app", point, System.currentTimeMillis()));
        for (int p = 0; p < PARTITIONS; p++) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, p, null, null, value);
            record.headers().add(new RecordHeader(Watermark.HEADER, new byte[] {'1'}));
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
    }

    private void publishDelete(Map<String, Object> key, String xid) throws Exception {
        Map<String, Object> before = new LinkedHashMap<>(key);
        ChangeEvent delete = new ChangeEvent(
                ChangeEvent.CURRENT_VERSION,
                "app",
                MEMBERSHIPS.table(),
                Operation.DELETE,
                key,
                before,
                null,
                List.of(),
                null,
                xid,
                System.currentTimeMillis(),
                System.currentTimeMillis());
        producer.send(new ProducerRecord<>(TOPIC, codec.encodeKey(MEMBERSHIPS.table(), key), codec.encode(delete)))
                .get(10, TimeUnit.SECONDS);
    }

    private static Map<String, Object> key(String group, String user) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("group_id", group);
        key.put("user_id", user);
        return key;
    }

    /** Deletes carol's membership in a transaction of its own; returns its xid, as ingest would stamp it. */
    private static String deleteMembership() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("delete from memberships where user_id = 'carol'");
            String xid;
            try (ResultSet rs = s.executeQuery("select pg_current_xact_id()::text")) {
                rs.next();
                xid = Long.toString(Long.parseLong(rs.getString(1)) & 0xFFFF_FFFFL);
            }
            c.commit();
            return xid;
        }
    }

    private static PgSnapshotPoint snapshot() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_current_snapshot()::text")) {
            rs.next();
            return PgSnapshotPoint.parse(rs.getString(1));
        }
    }

    private static void execute(String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Closes the feeder with the test. */
    private record LookupFeederHandle(LookupFeeder feeder) implements AutoCloseable {
        @Override
        public void close() {
            feeder.close();
        }
    }
}
