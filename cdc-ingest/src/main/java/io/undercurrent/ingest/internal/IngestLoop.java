package io.undercurrent.ingest.internal;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceException;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source's supervision, stepped by {@link #runOnce}: start a capture engine (checks, sink,
 * engine), watch it, and when it fails, classify the failure once ({@link FailureClassifier}), report
 * it in {@link #health()}, stop capture and say how long to wait before the next start. Each start
 * resumes from the last position Kafka acknowledged, so nothing is lost (changes after it may be
 * published again: at-least-once, in per-row order).
 *
 * <p>The Debezium engine owns its reading loop; this loop owns everything around it. Its
 * collaborators are narrow: {@link CaptureEngines} (the database side), {@link SinkFactory} (Kafka)
 * and {@link SourcePipeline} (the batch handler, which never marks a change processed before Kafka
 * acknowledged it). {@code runOnce} never sleeps; {@link #run()} steps it and waits out the backoffs.
 *
 * <p>{@link #runOnce} and {@link #run()} belong to one thread; {@link #stop()} and {@link #health()}
 * may be called from any.
 */
public final class IngestLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    /** How long a clean stop waits for Kafka to acknowledge what is in flight, so a restart replays nothing. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    /** What engines and {@link #stop()} tell the loop thread. */
    private sealed interface Event {}

    private record Running(CaptureEngine engine) implements Event {}

    private record Stopped(CaptureEngine engine, String message, Throwable error) implements Event {}

    private record Stop() implements Event {}

    private final String source;
    private final String where;
    private final SourcePipeline pipeline;
    private final CaptureEngines engines;
    private final SinkFactory sinks;
    private final RestartBackoff backoff;
    private final Duration markEvery;
    private final Watermarks watermarks;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicReference<SourceHealth> health;
    /** Notified whenever the state is set, for {@link #awaitRunning}. */
    private final Object stateSet = new Object();

    private CaptureEngine engine;
    private ChangeSink sink;
    private Watermarks.Running writingWatermarks;
    private boolean stopped;

    /**
     * @param source    the source's name, for health and logs
     * @param where     the database, for logs
     * @param markEvery how often what Kafka acknowledged is marked processed while the source is idle
     */
    IngestLoop(
            String source,
            String where,
            SourcePipeline pipeline,
            CaptureEngines engines,
            SinkFactory sinks,
            RestartBackoff backoff,
            Duration markEvery) {
        this(source, where, pipeline, engines, sinks, backoff, markEvery, Watermarks.NONE);
    }

    /** @param watermarks writes watermarks into the source's log while an engine streams */
    IngestLoop(
            String source,
            String where,
            SourcePipeline pipeline,
            CaptureEngines engines,
            SinkFactory sinks,
            RestartBackoff backoff,
            Duration markEvery,
            Watermarks watermarks) {
        this.watermarks = watermarks;
        this.source = Objects.requireNonNull(source, "source");
        this.where = where;
        this.pipeline = pipeline;
        this.engines = engines;
        this.sinks = sinks;
        this.backoff = backoff;
        this.markEvery = markEvery;
        this.health = new AtomicReference<>(new SourceHealth(source, SourceHealth.State.STARTING, null, 0, 0));
    }

    /**
     * The loop of one source as ingest runs it: Debezium engines publishing to Kafka.
     *
     * @param local offered every change record Kafka acknowledged (a router in this process), or
     *              {@link LocalChanges#NONE}
     */
    public static IngestLoop create(SourceSettings source, IngestSettings settings, Clock clock, LocalChanges local) {
        SourceDialect dialect = SourceDialect.of(source, settings);
        return new IngestLoop(
                source.name(),
                source.where(),
                new SourcePipeline(source.name(), dialect, settings, clock),
                new DebeziumCaptureEngines(source, settings, dialect),
                () -> SourcePipeline.openKafkaSink(source, settings, local),
                new RestartBackoff(settings.retryBackoffMin(), settings.retryBackoffMax()),
                settings.offsetFlushInterval(),
                dialect.watermarks(settings.watermarkInterval()));
    }

    /** Steps the loop until {@link #stop()}, waiting out each backoff (which a stop ends at once). */
    @Override
    public void run() {
        try {
            Duration pause;
            while ((pause = runOnce(markEvery)) != null) {
                if (!pause.isZero()) {
                    stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS); // stop() ends the wait
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopCapture(Duration.ZERO);
            engines.close();
            stopped = true;
            setState(SourceHealth.State.STOPPED, null);
        }
    }

    /**
     * One step: start an engine when none runs, else wait up to {@code timeout} for what the engine
     * or {@link #stop()} has to say, mark what Kafka acknowledged meanwhile, and act on it.
     *
     * @return how long to wait before the next step: zero to step again at once, a backoff after a
     *     failure; null once stopped
     */
    public Duration runOnce(Duration timeout) throws InterruptedException {
        if (stopped) {
            return null;
        }
        if (engine == null) {
            Event pending = events.poll();
            if (pending instanceof Stop) {
                return stopNow();
            }
            return start();
        }
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event instanceof Stop) {
            return stopNow();
        }
        try {
            // Publishing is pipelined: what Kafka acknowledged after the last batch is marked here, between batches.
            pipeline.markAcknowledged();
        } catch (BatchHandler.PublishFailedException e) {
            // Kafka refused a change: stop reading now, not at the next batch (an idle source may never have one).
            return failed(e);
        }
        if (event instanceof Running running && running.engine() == engine) {
            backoff.succeeded();
            setState(SourceHealth.State.RUNNING, null);
            LOG.info("source '{}' is streaming changes from {}", source, where);
            if (writingWatermarks == null) {
                writingWatermarks = watermarks.start();
            }
        } else if (event instanceof Stopped gone && gone.engine() == engine) {
            return failed(
                    gone.error() != null
                            ? gone.error()
                            : new IllegalStateException("the capture engine stopped: " + gone.message()));
        }
        return Duration.ZERO;
    }

    private Duration start() throws InterruptedException {
        try {
            List<String> warnings = engines.preflight();
            warnings.forEach(w -> LOG.warn("source '{}': {}", source, w));
            health.updateAndGet(h -> new SourceHealth(h.source(), h.state(), h.lastError(), 0, h.restarts(), warnings));
            sink = sinks.open();
            CaptureEngine created = engines.create();
            engine = created;
            created.start(pipeline.handler(sink), new CaptureEngine.Listener() {
                @Override
                public void running() {
                    events.add(new Running(created));
                }

                @Override
                public void stopped(String message, Throwable error) {
                    events.add(new Stopped(created, message, error));
                }
            });
            return Duration.ZERO;
        } catch (InterruptedException e) {
            stopCapture(Duration.ZERO);
            throw e;
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** Stops capture, reports the failure and says how long to wait before starting again. */
    private Duration failed(Throwable error) {
        stopCapture(Duration.ZERO);
        SourceException failure = FailureClassifier.classify(error);
        Duration wait = backoff.failed(failure);
        SourceHealth.State state = failure.retriable() ? SourceHealth.State.RETRYING : SourceHealth.State.NEEDS_ACTION;
        health.updateAndGet(
                h -> new SourceHealth(h.source(), state, failure.getMessage(), 0, backoff.failures(), h.warnings()));
        if (failure.retriable()) {
            LOG.warn(
                    "source '{}' ({}) is down: {}. Restarting from the last committed position in {} ms (attempt {}).",
                    source,
                    where,
                    failure.getMessage(),
                    wait.toMillis(),
                    backoff.failuresInARow());
        } else {
            LOG.error(
                    "source '{}' ({}) needs action: {}. Checking again in {} s.",
                    source,
                    where,
                    failure.getMessage(),
                    wait.toSeconds());
        }
        return wait;
    }

    private Duration stopNow() {
        stopCapture(DRAIN);
        engines.close();
        stopped = true;
        setState(SourceHealth.State.STOPPED, null);
        return null;
    }

    /**
     * Stops the engine (committing what was marked processed) and closes the sink. A clean stop first
     * waits up to {@code drain} for Kafka to acknowledge what is in flight.
     */
    private void stopCapture(Duration drain) {
        Watermarks.Running writing = writingWatermarks;
        writingWatermarks = null;
        if (writing != null) {
            writing.close();
        }
        CaptureEngine running = engine;
        engine = null;
        if (running != null) {
            if (!drain.isZero()) {
                try {
                    pipeline.drain(drain);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            running.close();
        }
        ChangeSink opened = sink;
        sink = null;
        if (opened != null) {
            try {
                opened.close();
            } catch (RuntimeException e) {
                LOG.debug("source '{}': closing the sink failed: {}", source, e.getMessage());
            }
        }
    }

    /** Asks the loop to stop capture cleanly; {@link #run()} then returns. Any thread. */
    public void stop() {
        events.add(new Stop());
        stopping.countDown();
    }

    /** What the source is doing, with the counts of changes published and skipped across restarts. */
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

    private void setState(SourceHealth.State state, String error) {
        health.updateAndGet(
                h -> new SourceHealth(h.source(), state, error, h.changesPublished(), h.restarts(), h.warnings()));
        synchronized (stateSet) {
            stateSet.notifyAll();
        }
    }

    /**
     * Waits until the source streams ({@link SourceHealth.State#RUNNING}) or {@code timeout} has passed.
     *
     * @return whether it streams
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateSet) {
            while (health.get().state() != SourceHealth.State.RUNNING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateSet, left);
            }
            return true;
        }
    }
}
