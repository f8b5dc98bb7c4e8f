package io.undercurrent.edge.internal;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the routers this edge is alive, every third of its TTL, on a thread of its own. Routers drop
 * every subscription of an edge they do not hear from within its TTL, so nothing else runs on that
 * thread: housekeeping (sweeps, token timers, retries, window reads) can block on a subscription's
 * lock or on Kafka, and a heartbeat that shared its thread stopped with it. A failure of one beat is
 * logged and the next one goes out on time.
 *
 * <p>When routers could not hear this edge for longer than its TTL all the same (Kafka refused the
 * heartbeats, or the process stalled), they may have dropped its subscriptions while the edge still
 * serves them: once a heartbeat gets through again, {@code afterSilence} runs (every live query
 * registers again). Thread-safe.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    /** Where heartbeats go: the edge's bus. */
    interface Sender {
        CompletableFuture<Void> heartbeat(long now, long ttlMs);
    }

    private final Sender bus;
    private final Clock clock;
    private final long ttlMs;
    private final Runnable afterSilence;
    private final ScheduledThreadPoolExecutor thread;
    /** When the last heartbeat that Kafka acknowledged was sent; -1 before the first. */
    private long lastHeard = -1;

    /**
     * @param afterSilence runs (on a Kafka client thread; it must not block) when a heartbeat got
     *                     through after more than the TTL without one
     */
    Heartbeat(Sender bus, Clock clock, long ttlMs, Runnable afterSilence) {
        this.bus = bus;
        this.clock = clock;
        this.ttlMs = ttlMs;
        this.afterSilence = afterSilence;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "edge-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends one heartbeat now, then one every third of the TTL until {@link #close()}. */
    void start() {
        long every = Math.max(1, ttlMs / 3);
        thread.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Sends one heartbeat; never throws (a fixed-rate task that throws is never run again). */
    void beat() {
        try {
            long now = clock.millis();
            bus.heartbeat(now, ttlMs).whenComplete((ok, error) -> {
                if (error == null) {
                    heard(now);
                } else {
                    LOG.warn("edge heartbeat not delivered: {}", error.getMessage());
                }
            });
        } catch (Throwable e) {
            LOG.error("edge heartbeat failed; the next one goes out in {} ms", ttlMs / 3, e);
        }
    }

    private void heard(long sentAt) {
        boolean silent;
        synchronized (this) {
            silent = lastHeard >= 0 && sentAt - lastHeard > ttlMs;
            lastHeard = Math.max(lastHeard, sentAt);
        }
        if (silent) {
            LOG.warn(
                    "routers heard no heartbeat from this edge for more than its TTL ({} ms) and may have"
                            + " dropped its subscriptions; every live query registers again",
                    ttlMs);
            afterSilence.run();
        }
    }

    /** Stops the heartbeats: none is sent once this returns (in time for the farewell). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the edge heartbeat thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
