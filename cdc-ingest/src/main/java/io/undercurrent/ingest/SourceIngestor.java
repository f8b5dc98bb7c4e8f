package io.undercurrent.ingest;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.ingest.internal.IngestLoop;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one source database into its Kafka change topic, and keeps doing so.
 *
 * <p>Each start first checks the database (reachable, set up for capture, privileges; see the module
 * README), then runs a Debezium engine. Every failure, at start or mid-stream, is classified once
 * ({@link SourceException}): a {@link RetriableSourceException} (database or Kafka unreachable,
 * connection lost) restarts the engine after a backoff that doubles from
 * {@link IngestSettings#retryBackoffMin()} up to {@link IngestSettings#retryBackoffMax()}; a
 * {@link MisconfiguredSourceException} (bad password, {@code wal_level}...) puts the source in
 * {@link SourceHealth.State#NEEDS_ACTION} and is re-checked at the longest backoff, so fixing the
 * cause is enough. Either way the cause is logged in one line and shown in {@link #health()}.
 * Nothing is lost across a restart: it resumes from the last position Kafka acknowledged, so changes
 * after it may be published again (at-least-once, in per-row order). The supervision itself is the
 * ingest loop, run here on the source's supervisor thread.
 *
 * <p>Thread-safe. {@link #start()} returns at once; the engine runs on its own thread.
 */
public final class SourceIngestor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceIngestor.class);
    /** The drain (5 s) and the engine's stop (15 s) with room to spare. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final SourceSettings source;
    private final IngestLoop loop;
    private final Thread supervisor;
    private boolean started;

    public SourceIngestor(SourceSettings source, IngestSettings settings, Clock clock) {
        this(source, settings, clock, LocalChanges.NONE);
    }

    /**
     * @param local a router in this process, offered every change record Kafka acknowledged, at its
     *              offset ({@link LocalChanges}); {@link LocalChanges#NONE} when there is none
     */
    public SourceIngestor(SourceSettings source, IngestSettings settings, Clock clock, LocalChanges local) {
        this.source = Objects.requireNonNull(source, "source");
        this.loop = IngestLoop.create(
                source, Objects.requireNonNull(settings, "settings"), clock, Objects.requireNonNull(local, "local"));
        this.supervisor = new Thread(loop, "ingest-" + source.name() + "-supervisor");
        this.supervisor.setDaemon(true);
    }

    /** Starts capturing; returns at once. Progress and failures show in {@link #health()}. */
    public synchronized void start() {
        if (!started) {
            started = true;
            supervisor.start();
        }
    }

    public SourceHealth health() {
        return loop.health();
    }

    /**
     * Waits until the source streams changes ({@link SourceHealth.State#RUNNING}: its replication slot
     * or binlog position is taken, so a change committed from now on is captured) or {@code timeout}
     * has passed. Returns at once when it streams; a failing source keeps retrying meanwhile.
     *
     * @return whether it streams
     */
    public boolean awaitStreaming(java.time.Duration timeout) throws InterruptedException {
        return loop.awaitRunning(timeout);
    }

    /** Stops the engine (before the database it reads may go away), bounded in time. */
    @Override
    public synchronized void close() {
        loop.stop();
        if (!started) {
            started = true;
            loop.run(); // stops at once: nothing was started
            return;
        }
        try {
            supervisor.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (supervisor.isAlive()) {
            LOG.warn("source '{}' still stopping after {} s; abandoning it", source.name(), CLOSE_WAIT_SECONDS);
            supervisor.interrupt();
        }
    }
}
