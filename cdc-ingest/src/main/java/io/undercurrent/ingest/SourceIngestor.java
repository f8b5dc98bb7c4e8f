package io.undercurrent.ingest;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.undercurrent.ingest.internal.SourcePipeline;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Clock;
import java.time.Duration;
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
 * Captures one source database into its Kafka change topic, and keeps doing so: a failure (database
 * or Kafka unreachable, connection lost) stops the Debezium engine, reports it in {@link #health()},
 * and restarts it after a growing backoff from the last committed position. Nothing is lost across a
 * restart; changes after that position may be published again (at-least-once, in per-row order).
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

    public SourceIngestor(SourceSettings source, IngestSettings settings, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = SourcePipeline.create(source, settings, clock);
        this.engineThread = Executors.newSingleThreadExecutor(r -> daemon(r, "ingest-" + source.name()));
        this.restarts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ingest-" + source.name() + "-restart"));
        this.health = new AtomicReference<>(new SourceHealth(source.name(), SourceHealth.State.STARTING, null, 0, 0));
    }

    /** Starts capturing; returns at once. Progress and failures show in {@link #health()}. */
    public void start() {
        restarts.execute(this::startEngine);
    }

    public SourceHealth health() {
        SourceHealth h = health.get();
        return new SourceHealth(h.source(), h.state(), h.lastError(), pipeline.published(), h.restarts());
    }

    private void startEngine() {
        if (closing) {
            return;
        }
        try {
            ChangeSink sink = pipeline.openSink();
            Properties properties = pipeline.engineProperties();
            DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(properties)
                    .notifying(pipeline.handler(sink))
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            setState(SourceHealth.State.RUNNING, null);
                            LOG.info("source '{}' is streaming changes from {}:{}/{}", source.name(), source.host(), source.port(),
                                    source.database());
                        }
                    })
                    .using((success, message, error) -> engineStopped(sink, success, message, error))
                    .build();
            engine.set(created);
            engineThread.execute(created);
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            scheduleRestart(describe(e));
        }
    }

    private void engineStopped(ChangeSink sink, boolean success, String message, Throwable error) {
        sink.close();
        if (closing) {
            setState(SourceHealth.State.STOPPED, null);
            return;
        }
        scheduleRestart(error != null ? describe(error) : message);
    }

    private void scheduleRestart(String cause) {
        if (closing) {
            return;
        }
        long attempt;
        synchronized (this) {
            attempt = ++restartCount;
        }
        Duration backoff = backoff(attempt);
        SourceHealth h = health.get();
        health.set(new SourceHealth(source.name(), SourceHealth.State.RETRYING, cause, h.changesPublished(), attempt));
        LOG.warn("source '{}' ({}:{}/{}) is down: {}. Restarting from the last committed position in {} ms.", source.name(),
                source.host(), source.port(), source.database(), cause, backoff.toMillis());
        restarts.schedule(this::startEngine, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration backoff(long attempt) {
        long min = settings.retryBackoffMin().toMillis();
        long max = settings.retryBackoffMax().toMillis();
        long exp = min << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(max, Math.max(min, exp)));
    }

    private void setState(SourceHealth.State state, String error) {
        health.updateAndGet(h -> new SourceHealth(h.source(), state, error, h.changesPublished(), h.restarts()));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !text.toString().contains(root.getMessage())) {
                text.append(": ").append(root.getMessage());
            }
        }
        return text.toString();
    }

    /** Stops the engine (before the database it reads may go away), bounded in time. */
    @Override
    public void close() {
        closing = true;
        restarts.shutdownNow();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine.getAndSet(null);
        if (running != null) {
            try {
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
