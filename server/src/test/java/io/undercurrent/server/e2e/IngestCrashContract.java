package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 5 (per-row order, no duplicate) across crashes of ingest, seen by real clients, whatever
 * the source: ingest runs in a child JVM and is killed with SIGKILL while rows change steadily. Ingest
 * then publishes the changes since its last committed source position a second time; clients holding
 * live queries must still see every row's version only go up, never a change twice, never a row that
 * moved to another owner coming back, and must end equal to the database: nothing lost.
 *
 * <p>The roles run apart: the embedded infrastructure (Kafka, and an idle edge over the project's
 * rules), a router and an edge in this JVM and ingest in a child JVM, all three reading the source
 * the test declares. The table's SQL is the same for PostgreSQL and MariaDB.
 */
abstract class IngestCrashContract {

    private static final int ROWS = 40;
    private static final int KILLS = 3;
    private static final String TABLE = "crash_items";
    /** One step every 5 ms: about 300 row changes a second. */
    private static final long WRITE_PERIOD_MS = 5;

    private static final String UPDATE = "update " + TABLE + " set version = version + 1, owner_id = case when ? "
            + "then (case owner_id when 'alice' then 'bob' else 'alice' end) else owner_id end where id = ?";

    /** The source's name in the configuration. */
    protected abstract String source();

    /** The schema (PostgreSQL) or database (MariaDB) the test's table is created in. */
    protected abstract String schema();

    /** The variables that declare the source ({@code UNDERCURRENT_SOURCES_<NAME>_*}). */
    protected abstract Map<String, String> sourceEnvironment(ServerNode infra);

    /** A connection to the source database, in auto-commit. */
    protected abstract Connection database(ServerNode infra) throws Exception;

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    private final AtomicLong steps = new AtomicLong();
    private final AtomicReference<Throwable> writerError = new AtomicReference<>();

    @Test
    void killingIngestUnderLoadNeverShowsAClientADuplicateOrAnOlderVersion() throws Exception {
        String table = schema() + "." + TABLE;
        Files.writeString(
                rulesDir.resolve(TABLE + ".yaml"),
                "source: " + source() + "\ntable: " + table + "\nread: \"auth != null && row.owner_id == auth.sub\"\n");
        try (ServerNode infra = SplitRoles.startInfrastructure(dataDir, Role.EDGE);
                Connection db = database(infra)) {
            createTable(db);
            Map<String, String> sources = sourceEnvironment(infra);
            // A longer flush interval than the default makes each crash replay more: the window between
            // what Kafka holds and the source position ingest committed.
            Map<String, String> ingestEnv = SplitRoles.joining(
                    infra, rulesDir, sources, Map.of("UNDERCURRENT_INGEST_OFFSET_FLUSH_INTERVAL", "5s"));
            ChildJvm ingest = SplitRoles.child("ingest", Role.INGEST, ingestEnv);
            try (ServerNode router =
                            SplitRoles.start(SplitRoles.joining(infra, rulesDir, sources, Map.of()), Role.ROUTER);
                    ServerNode edge = SplitRoles.start(
                            SplitRoles.joining(infra, rulesDir, sources, Map.of("UNDERCURRENT_EDGE_ID", "e1")),
                            Role.EDGE)) {
                DevTokenHandler tokens = new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC());
                Map<String, LiveClient> clients = new HashMap<>();
                Map<String, VersionedView> views = new HashMap<>();
                ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
                try (Connection writes = database(infra);
                        PreparedStatement update = writes.prepareStatement(UPDATE)) {
                    writes.setAutoCommit(false);
                    for (String user : List.of("alice", "bob")) {
                        LiveClient client = LiveClient.connect(SplitRoles.liveUrl(edge));
                        client.sendJson(Map.of("type", "auth", "token", tokens.sign(user, "user", 3600), "id", "a"));
                        client.await("ready", "a");
                        client.sendJson(Map.of("type", "subscribe", "id", "q", "source", source(), "table", table));
                        VersionedView view = new VersionedView();
                        view.apply(client.await("snapshot", "q"));
                        clients.put(user, client);
                        views.put(user, view);
                    }
                    Random random = new Random(7);
                    writer.scheduleAtFixedRate(
                            () -> step(writes, update, random), 0, WRITE_PERIOD_MS, TimeUnit.MILLISECONDS);
                    for (int kill = 0; kill < KILLS; kill++) {
                        awaitSteps(300, clients, views);
                        ingest.killHard();
                        awaitSteps(100, clients, views);
                        ingest = SplitRoles.child("ingest", Role.INGEST, ingestEnv);
                    }
                    awaitSteps(300, clients, views);
                    writer.shutdown();
                    assertThat(writer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(writerError.get()).isNull();

                    for (String user : clients.keySet()) {
                        Map<Long, Long> expected = owned(db, user);
                        LiveClient client = clients.get(user);
                        VersionedView view = views.get(user);
                        await().atMost(Duration.ofSeconds(120))
                                .pollInterval(Duration.ofMillis(200))
                                .untilAsserted(() -> {
                                    drain(client, view);
                                    assertThat(view.held())
                                            .as("%s's rows", user)
                                            .isEqualTo(expected);
                                });
                        assertThat(view.violations()).as("what %s saw", user).isEmpty();
                    }
                    assertThat(replayedChanges(infra, source()))
                            .as("changes ingest published twice; without any the test proves nothing")
                            .isPositive();
                    assertThat(router.healthy())
                            .as("the router outlives ingest's crashes")
                            .isTrue();
                } finally {
                    writer.shutdownNow();
                    clients.values().forEach(LiveClient::close);
                }
            } finally {
                ingest.close();
            }
        }
    }

    private static void createTable(Connection db) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("create table " + TABLE
                    + " (id bigint primary key, owner_id text not null, version bigint not null)");
            for (int id = 1; id <= ROWS; id++) {
                st.executeUpdate(
                        "insert into " + TABLE + " values (" + id + ", '" + (id % 2 == 0 ? "alice" : "bob") + "', 1)");
            }
        }
    }

    /** Waits until the writer committed {@code more} steps, reading the clients meanwhile so no frame waits long. */
    private void awaitSteps(long more, Map<String, LiveClient> clients, Map<String, VersionedView> views) {
        long target = steps.get() + more;
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    clients.forEach((user, client) -> drain(client, views.get(user)));
                    if (writerError.get() != null) {
                        throw new AssertionError("the writer failed", writerError.get());
                    }
                    return steps.get() >= target;
                });
    }

    private static void drain(LiveClient client, VersionedView view) {
        JsonNode frame;
        while ((frame = client.poll()) != null) {
            view.apply(frame);
        }
    }

    /** Every step bumps the version of a row or two in one transaction; one change in ten also hands the row to the other owner. */
    private void step(Connection db, PreparedStatement update, Random random) {
        if (writerError.get() != null) {
            return;
        }
        try {
            int statements = 1 + random.nextInt(2);
            for (int i = 0; i < statements; i++) {
                update.setBoolean(1, random.nextInt(10) == 0);
                update.setLong(2, 1 + random.nextInt(ROWS));
                update.executeUpdate();
            }
            db.commit();
            steps.incrementAndGet();
        } catch (Throwable e) {
            writerError.set(e);
        }
    }

    private static Map<Long, Long> owned(Connection db, String user) throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        try (PreparedStatement st = db.prepareStatement("select id, version from " + TABLE + " where owner_id = ?")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return rows;
    }

    /** How many row versions the change topic holds more than once: the replays the crashes caused. */
    private static int replayedChanges(ServerNode infra, String source) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.config().get(ServerSettings.KAFKA_BOOTSTRAP),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        int twice = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = "undercurrent.changes." + source;
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(15))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(15)) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode change = json.readTree(record.value());
                    if (change.path("table").asText().endsWith(TABLE) && change.hasNonNull("after")) {
                        String version = change.path("after").path("id").asText() + "@"
                                + change.path("after").path("version").asText();
                        if (!seen.add(version)) {
                            twice++;
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return twice;
    }
}
