package io.undercurrent.ingest.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.ingest.testing.IngestChildMain;
import io.undercurrent.ingest.testing.NoLossCheck;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.SteadyWriter;
import io.undercurrent.ingest.testing.TestDatabase;
import io.undercurrent.ingest.testing.TopicReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1 (no loss) and 5 (per-row order) for ingest, against a real database and a real ingest
 * process in its own JVM: under a steady stream of committed changes, kill the ingest process with
 * SIGKILL, restart the database, or restart the Kafka broker, then prove that every value every row
 * held reached Kafka at least once, first arrivals in commit order, and that every change published
 * again carries the source order it had the first time while every new one is above all before it
 * (what readers drop replays by). Subclasses supply the database.
 */
abstract class NoLossContract {

    /** One step (an insert and an update) every 5 ms: about 400 changes/s. */
    private static final long WRITE_PERIOD_MS = 5;

    private static final Pattern RUNNING = Pattern.compile("UC-STATE RUNNING");

    protected static EmbeddedKafka kafka;
    protected static TestDatabase db;

    protected static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("no-loss-kafka")));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (db != null) {
            db.close();
            db = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    private ChildJvm startIngest(String source, String table) {
        String schema = db.kind() == io.undercurrent.ingest.SourceKind.POSTGRES ? "public." : db.database() + ".";
        ChildJvm child = ChildJvm.start(ChildJvm.Options.of(IngestChildMain.class)
                .withName("ingest-" + source)
                .withJvmArgs("-Xmx384m", "-XX:TieredStopAtLevel=1")
                .withArgs(
                        db.kind().name(),
                        db.host(),
                        Integer.toString(db.port()),
                        db.database(),
                        db.user(),
                        db.password(),
                        kafka.bootstrapServers(),
                        source,
                        schema + table + "," + schema + table + "_probe"));
        child.awaitOutputLine(RUNNING, Duration.ofSeconds(60));
        return child;
    }

    private void createTable(String table) throws Exception {
        db.execute(
                "create table " + table + " (id bigint primary key, v bigint not null)",
                "create table " + table + "_probe (id bigint primary key)");
    }

    /**
     * A new source captures from the moment its engine has read the current log position, a little
     * after it reports running; later starts resume from the committed position. So the first start
     * is proven with probe rows before the steady stream begins.
     */
    private void awaitCapturing(String source, String table) throws Exception {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes(source))) {
            long probe = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (reader.awaitChangesOrEmpty(Duration.ofMillis(300)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("source " + source + " captured no probe row within 60 s");
                }
                db.execute("insert into " + table + "_probe (id) values (" + (++probe) + ")");
            }
        }
    }

    /** Waits until the writer has committed {@code more} further steps: the disruption happens under load. */
    private static void awaitSteps(SteadyWriter writer, long more) {
        long target = writer.steps() + more;
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> writer.steps() >= target);
    }

    private void assertNothingLost(String source, String table) throws Exception {
        Map<Long, Long> committed = NoLossCheck.committed(db, table);
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes(source))) {
            try {
                reader.awaitChanges(Duration.ofSeconds(60), list -> NoLossCheck.complete(committed, list, table));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // fall through: the assertion below names what is missing
            }
            assertThat(NoLossCheck.problems(committed, reader.changes(), table)).isEmpty();
            assertThat(NoLossCheck.orderProblems(reader.changesByPartition(), table))
                    .as("replays recognisable by source order")
                    .isEmpty();
            assertThat(committed).hasSizeGreaterThan(100);
        }
    }

    @Test
    void killingTheIngestProcessLosesNothing() throws Exception {
        String table = "kill_ingest";
        createTable(table);
        ChildJvm ingest = startIngest("killed", table);
        awaitCapturing("killed", table);
        try (SteadyWriter writer = new SteadyWriter(db, table).start(WRITE_PERIOD_MS)) {
            awaitSteps(writer, 300);
            ingest.killHard();
            awaitSteps(writer, 200);
            ingest = startIngest("killed", table);
            awaitSteps(writer, 300);
        } finally {
            ingest.close();
        }
        ingest = startIngest("killed", table);
        try {
            assertNothingLost("killed", table);
        } finally {
            ingest.close();
        }
    }

    @Test
    void restartingTheDatabaseLosesNothing() throws Exception {
        String table = "restart_db";
        createTable(table);
        try (ChildJvm ingest = startIngest("dbrestart", table)) {
            awaitCapturing("dbrestart", table);
            try (SteadyWriter writer = new SteadyWriter(db, table).start(WRITE_PERIOD_MS)) {
                awaitSteps(writer, 300);
                // Postgres ends the replication connection, so ingest restarts from its committed
                // position; the MariaDB binlog client reconnects at its own position by itself.
                db.restart();
                awaitSteps(writer, 300);
            }
            assertNothingLost("dbrestart", table);
        }
    }

    @Test
    void restartingKafkaWhileIngestRunsLosesNothing() throws Exception {
        String table = "restart_kafka";
        createTable(table);
        try (ChildJvm ingest = startIngest("kafkarestart", table)) {
            awaitCapturing("kafkarestart", table);
            try (SteadyWriter writer = new SteadyWriter(db, table).start(WRITE_PERIOD_MS)) {
                awaitSteps(writer, 300);
                kafka.stop();
                awaitSteps(writer, 300);
                kafka.start();
                awaitSteps(writer, 300);
            }
            assertNothingLost("kafkarestart", table);
        }
    }
}
