package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.MisconfiguredSourceException;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Steps one source's supervision with an in-memory database and Kafka: failures that pass, failures
 * that need action, Kafka refusing changes and a clean stop. Every start resumes after the position
 * the offset store holds, and that position never passes what Kafka acknowledged.
 */
class IngestLoopTest {

    private static final Duration MIN = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);
    private static final Duration NOW = Duration.ZERO;

    private final FakeCaptureEngines database = new FakeCaptureEngines();
    private final List<MemoryChangeSink> sinks = new ArrayList<>();
    private RuntimeException kafkaDown;
    private final IngestLoop loop = loop();

    private IngestLoop loop() {
        SourceSettings source =
                new SourceSettings("app", SourceKind.POSTGRES, "localhost", 5432, "db", "u", "p", List.of(), Map.of());
        IngestSettings settings = IngestSettings.singleNode("localhost:9092", new Topics("uc"));
        return new IngestLoop(
                "app",
                "localhost:5432/db",
                new SourcePipeline("app", new PostgresDialect(source), settings, Clock.systemUTC()),
                database,
                () -> {
                    if (kafkaDown != null) {
                        throw kafkaDown;
                    }
                    MemoryChangeSink sink = new MemoryChangeSink();
                    sinks.add(sink);
                    return sink;
                },
                new RestartBackoff(MIN, MAX),
                Duration.ofSeconds(1),
                () -> {
                    watermarksWriting++;
                    return () -> watermarksWriting--;
                });
    }

    /** How many watermark writers run: one while an engine streams, none otherwise. */
    private int watermarksWriting;

    /** The server waits for streaming before it serves: the wait ends when the engine runs, not on a poll. */
    @Test
    void awaitRunningEndsWhenTheEngineStreams() throws Exception {
        loop.runOnce(NOW);
        assertThat(loop.awaitRunning(Duration.ofMillis(20)))
                .as("starting, not streaming yet")
                .isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return loop.awaitRunning(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        database.current().connected();
        loop.runOnce(NOW);
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(loop.awaitRunning(Duration.ZERO)).as("already streaming").isTrue();
    }

    @Test
    void watermarksAreWrittenWhileAnEngineStreamsAndStopWithIt() throws Exception {
        loop.runOnce(NOW);
        assertThat(watermarksWriting).as("starting, not streaming yet").isZero();
        database.current().connected();
        loop.runOnce(NOW);
        assertThat(watermarksWriting).isEqualTo(1);
        database.current().fail(new SQLException("Connection to localhost:5432 refused", "08001"));
        loop.runOnce(NOW);
        assertThat(watermarksWriting).as("capture stopped").isZero();
        loop.runOnce(NOW);
        database.current().connected();
        loop.runOnce(NOW);
        assertThat(watermarksWriting).as("streaming again").isEqualTo(1);
        loop.stop();
        assertThat(loop.runOnce(NOW)).isNull();
        assertThat(watermarksWriting).isZero();
    }

    @Test
    void aFailureThatMayPassRestartsAfterADoublingBackoffFromTheLastAcknowledgedPosition() throws Exception {
        database.write(5);
        assertThat(loop.runOnce(NOW)).isZero();
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.STARTING);
        assertThat(loop.health().warnings()).containsExactly("table public.notes has no primary key");
        database.current().connected();
        loop.runOnce(NOW);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.RUNNING);

        database.current().read(3);
        loop.runOnce(NOW);
        assertThat(database.committed()).isEqualTo(3);
        sink().hold();
        database.current().read(2); // 4 and 5 reach Kafka, not yet acknowledged

        database.current().fail(new SQLException("Connection to localhost:5432 refused", "08001"));
        assertThat(loop.runOnce(NOW)).as("first restart waits the minimum").isEqualTo(MIN);
        SourceHealth down = loop.health();
        assertThat(down.state()).isEqualTo(SourceHealth.State.RETRYING);
        assertThat(down.lastError()).contains("Connection to localhost:5432 refused");
        assertThat(down.restarts()).isEqualTo(1);
        assertThat(database.committed())
                .as("unacknowledged changes are not committed")
                .isEqualTo(3);
        assertThat(sink().closed()).isTrue();

        assertThat(loop.runOnce(NOW)).isZero();
        assertThat(database.current().startedAfter()).isEqualTo(3);
        database.current().fail(new SQLException("Connection to localhost:5432 refused", "08001"));
        assertThat(loop.runOnce(NOW)).as("failures in a row double the wait").isEqualTo(MIN.multipliedBy(2));

        assertThat(loop.runOnce(NOW)).isZero();
        assertThat(database.current().startedAfter()).isEqualTo(3);
        database.current().connected();
        database.current().read(10);
        loop.runOnce(NOW);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.RUNNING);
        assertThat(loop.health().lastError()).isNull();
        assertThat(database.committed()).isEqualTo(5);
        assertThat(stored()).as("every change reached Kafka, in order").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(loop.health().changesPublished()).isEqualTo(5);

        database.current().fail(new SQLException("Connection reset", "08006"));
        assertThat(loop.runOnce(NOW)).as("streaming again reset the backoff").isEqualTo(MIN);
        assertThat(loop.health().restarts()).isEqualTo(3);
    }

    @Test
    void aFailureThatNeedsActionIsReportedAndCheckedAgainOnlyAtTheLongestBackoff() throws Exception {
        database.failPreflight(new MisconfiguredSourceException(
                "wal_level is replica: set wal_level = logical in postgresql.conf and restart PostgreSQL"));

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(loop.runOnce(NOW)).as("never a tight loop").isEqualTo(MAX);
        }
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.NEEDS_ACTION);
        assertThat(loop.health().lastError()).contains("wal_level = logical");
        assertThat(loop.health().healthy()).isFalse();
        assertThat(sinks).as("nothing opened while the database is not set up").isEmpty();
        assertThat(database.engines()).isEmpty();

        database.failPreflight(null); // fixed
        assertThat(loop.runOnce(NOW)).isZero();
        database.current().fail(new SQLException("password authentication failed for user \"u\"", "28P01"));
        assertThat(loop.runOnce(NOW)).isEqualTo(MAX);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.NEEDS_ACTION);
        assertThat(loop.health().lastError()).contains("check the source's user and password");

        assertThat(loop.runOnce(NOW)).isZero();
        database.current().connected();
        loop.runOnce(NOW);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.RUNNING);
        assertThat(loop.health().lastError()).isNull();
    }

    @Test
    void kafkaRefusingAChangeStopsCaptureAtOnceAndNothingPastWhatKafkaAcknowledgedIsCommitted() throws Exception {
        database.write(6);
        loop.runOnce(NOW);
        database.current().connected();
        loop.runOnce(NOW);
        database.current().read(3);
        MemoryChangeSink first = sink().hold();
        database.current().read(1); // 4
        database.current().read(2); // 5, 6
        first.acknowledge(1);
        first.fail(new org.apache.kafka.common.errors.TimeoutException("Expiring 2 record(s): 30000 ms has passed"));

        assertThat(loop.runOnce(NOW))
                .as("the source is idle, yet capture stops without waiting for a next batch")
                .isEqualTo(MIN);
        FakeCaptureEngines.FakeEngine stopped = database.current();
        assertThat(stopped.isClosed()).isTrue();
        assertThat(first.closed()).isTrue();
        assertThat(database.committed())
                .as("4 was acknowledged; 5 and 6 were not")
                .isEqualTo(4);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.RETRYING);
        assertThat(loop.health().lastError())
                .contains("Kafka did not acknowledge")
                .contains("Expiring 2 record(s)");

        kafkaDown = new org.apache.kafka.common.errors.TimeoutException("Topic uc.changes.app not present in metadata");
        assertThat(loop.runOnce(NOW)).as("Kafka still unreachable").isEqualTo(MIN.multipliedBy(2));
        assertThat(database.engines()).as("no engine without a sink").hasSize(1);

        kafkaDown = null;
        assertThat(loop.runOnce(NOW)).isZero();
        assertThat(database.current().startedAfter()).isEqualTo(4);
        database.current().connected();
        database.current().read(10);
        loop.runOnce(NOW);
        assertThat(database.committed()).isEqualTo(6);
        assertThat(stored()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.RUNNING);
    }

    @Test
    void aCleanStopCommitsWhatKafkaAcknowledgesInTimeAndStartsNothingAfter() throws Exception {
        database.write(3);
        loop.runOnce(NOW);
        database.current().connected();
        loop.runOnce(NOW);
        MemoryChangeSink sink = sink().hold();
        database.current().read(3);
        assertThat(database.committed()).isZero();

        loop.stop();
        CompletableFuture.runAsync(sink::acknowledgeAll); // Kafka answers while the stop waits for it
        assertThat(loop.runOnce(NOW)).as("stopped").isNull();

        assertThat(database.committed()).as("a restart replays nothing").isEqualTo(3);
        assertThat(database.current().isClosed()).isTrue();
        assertThat(sink.closed()).isTrue();
        assertThat(database.closed()).isTrue();
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.STOPPED);
        assertThat(loop.runOnce(NOW)).isNull();
        assertThat(database.engines()).hasSize(1);
    }

    @Test
    void aStopDuringABackoffEndsItAtOnce() throws Exception {
        database.failPreflight(new MisconfiguredSourceException("the user lacks REPLICATION"));
        Thread supervisor = new Thread(loop, "ingest-app-supervisor");
        supervisor.start();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> loop.health().state() == SourceHealth.State.NEEDS_ACTION);

        long before = System.nanoTime();
        loop.stop();
        supervisor.join(10_000);

        assertThat(supervisor.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(loop.health().state()).isEqualTo(SourceHealth.State.STOPPED);
    }

    private MemoryChangeSink sink() {
        return sinks.get(sinks.size() - 1);
    }

    /** The positions of every change some sink stored, in the order stored. */
    private List<Long> stored() {
        return sinks.stream()
                .flatMap(s -> s.stored().stream())
                .map(TestChanges::position)
                .toList();
    }
}
