package io.undercurrent.ingest;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.undercurrent.ingest.internal.FailureClassifier;
import io.undercurrent.ingest.internal.SourcePipeline;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
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
 * after it may be published again (at-least-once, in per-row order).
 *
 * <p>Thread-safe. {@link #start()} returns at once; the engine runs on its own thread.
 */
public final class SourceIngestor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceIngestor.class);

    // DebeziumEngine.create picks the asynchronous engine (ConvertingAsyncEngineBuilderFactory) by default.
    private final SourceSettings source;
    private final IngestSettings settings;
    private final SourcePipeline pipeline;
    private final ExecutorService engineThread;
    private final ScheduledExecutorService restarts;
    private final AtomicReference<DebeziumEngine<RecordChangeEvent<SourceRecord>>> engine = new AtomicReference<>();
    private final AtomicReference<SourceHealth> health;
    private volatile boolean closing;
    private long restartCount;
    private long failuresInARow;

    public SourceIngestor(SourceSettings source, IngestSettings settings, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = SourcePipeline.create(source, settings, clock);
        this.engineThread = Executors.newSingleThreadExecutor(r -> daemon(r, "ingest-" + source.name()));
        this.restarts =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ingest-" + source.name() + "-restart"));
        this.health = new AtomicReference<>(new SourceHealth(source.name(), SourceHealth.State.STARTING, null, 0, 0));
    }

    /** Starts capturing; returns at once. Progress and failures show in {@link #health()}. */
    public void start() {
        restarts.execute(this::startEngine);
        long every = settings.offsetFlushInterval().toMillis();
        restarts.scheduleWithFixedDelay(this::markAcknowledged, every, every, TimeUnit.MILLISECONDS);
    }

    /** Publishing is pipelined: what Kafka acknowledged after the last batch is marked here, between batches. */
    private void markAcknowledged() {
        try {
            pipeline.markAcknowledged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("source '{}': marking acknowledged changes failed: {}", source.name(), e.getMessage());
        }
    }

    public SourceHealth health() {
        SourceHealth h = health.get();
        return new SourceHealth(
                h.source(),
                h.state(),
                h.lastError(),
                pipeline.published(),
                h.restarts(),
                h.warnings(),
                pipeline.skipped());
    }

    private void startEngine() {
        if (closing) {
            return;
        }
        ChangeSink sink = null;
        try {
            List<String> warnings = pipeline.preflight();
            warnings.forEach(w -> LOG.warn("source '{}': {}", source.name(), w));
            health.updateAndGet(h -> new SourceHealth(h.source(), h.state(), h.lastError(), 0, h.restarts(), warnings));
            sink = pipeline.openSink();
            ChangeSink opened = sink;
            Properties properties = pipeline.engineProperties();
            DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine.create(
                            ChangeEventFormat.of(Connect.class))
                    .using(properties)
                    .notifying(pipeline.handler(sink))
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            running();
                        }
                    })
                    .using((success, message, error) -> engineStopped(opened, message, error))
                    .build();
            engine.set(created);
            engineThread.execute(created);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (sink != null) {
                sink.close();
            }
            failed(FailureClassifier.classify(e));
        }
    }

    private void running() {
        synchronized (this) {
            failuresInARow = 0;
        }
        health.updateAndGet(
                h -> new SourceHealth(h.source(), SourceHealth.State.RUNNING, null, 0, h.restarts(), h.warnings()));
        LOG.info("source '{}' is streaming changes from {}", source.name(), source.where());
    }

    private void engineStopped(ChangeSink sink, String message, Throwable error) {
        sink.close();
        if (closing) {
            setState(SourceHealth.State.STOPPED, null);
            return;
        }
        failed(FailureClassifier.classify(
                error != null ? error : new IllegalStateException("the capture engine stopped: " + message)));
    }

    private void failed(SourceException failure) {
        if (closing) {
            return;
        }
        long attempt;
        long total;
        synchronized (this) {
            attempt = ++failuresInARow;
            total = ++restartCount;
        }
        Duration wait = failure.retriable() ? backoff(attempt) : settings.retryBackoffMax();
        SourceHealth.State state = failure.retriable() ? SourceHealth.State.RETRYING : SourceHealth.State.NEEDS_ACTION;
        health.updateAndGet(h -> new SourceHealth(h.source(), state, failure.getMessage(), 0, total, h.warnings()));
        if (failure.retriable()) {
            LOG.warn(
                    "source '{}' ({}) is down: {}. Restarting from the last committed position in {} ms (attempt {}).",
                    source.name(),
                    source.where(),
                    failure.getMessage(),
                    wait.toMillis(),
                    attempt);
        } else {
            LOG.error(
                    "source '{}' ({}) needs action: {}. Checking again in {} s.",
                    source.name(),
                    source.where(),
                    failure.getMessage(),
                    wait.toSeconds());
        }
        try {
            restarts.schedule(this::startEngine, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // close() ran meanwhile; nothing to restart
        }
    }

    /** The wait before restart {@code attempt} (1-based) of a run of failures: doubling, bounded by the maximum. */
    Duration backoff(long attempt) {
        long min = settings.retryBackoffMin().toMillis();
        long max = settings.retryBackoffMax().toMillis();
        long exp = min << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(max, Math.max(min, exp)));
    }

    private void setState(SourceHealth.State state, String error) {
        health.updateAndGet(
                h -> new SourceHealth(h.source(), state, error, h.changesPublished(), h.restarts(), h.warnings()));
    }

    /** Stops the engine (before the database it reads may go away), bounded in time. */
    @Override
    public void close() {
        closing = true;
        restarts.shutdownNow();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine.getAndSet(null);
        if (running != null) {
            try {
                // What Kafka holds is committed when the engine stops, so a clean restart replays nothing.
                pipeline.drain(Duration.ofSeconds(5));
                running.close();
            } catch (Exception e) {
                LOG.warn("source '{}' did not stop cleanly: {}", source.name(), e.getMessage());
            }
        }
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("source '{}' engine thread still running after 15 s; abandoning it", source.name());
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        setState(SourceHealth.State.STOPPED, null);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
