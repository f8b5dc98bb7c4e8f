package io.undercurrent.edge.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * Tells a hung delivery thread from a slow one. The thread {@link #beat}s each time round its loop
 * (a poll waits at most {@link DeliveryLoop#POLL}); when no beat came for longer than the stall
 * timeout, {@link #stall()} says so, with where the thread stands, and the edge's {@code /health}
 * reports it not up. A thread that crashed is seen by its supervisor; one that blocks for good (a lock
 * never released, a write that never returns) would otherwise look healthy while no client receives a
 * change. Thread-safe: the delivery thread beats, any thread asks.
 */
final class DeliveryWatchdog {

    private final Clock clock;
    private final long stallAfterMs;
    private volatile long lastBeat;
    private volatile Thread watched;

    /** @param stallAfter how long without a beat means the thread is stuck */
    DeliveryWatchdog(Clock clock, Duration stallAfter) {
        this.clock = clock;
        this.stallAfterMs = stallAfter.toMillis();
        this.lastBeat = clock.millis();
    }

    /** Watches {@code thread} from now on; its state and top frame go into {@link #stall()}'s words. */
    void watch(Thread thread) {
        watched = thread;
        beat();
    }

    /** The delivery thread went once round its loop. */
    void beat() {
        lastBeat = clock.millis();
    }

    /** Milliseconds since the last beat. */
    long sinceLastBeat() {
        return Math.max(0, clock.millis() - lastBeat);
    }

    /** Why the delivery thread looks stuck, or null while it beats in time (or is not watched yet). */
    String stall() {
        Thread thread = watched;
        long since = sinceLastBeat();
        if (thread == null || since <= stallAfterMs) {
            return null;
        }
        StringBuilder why = new StringBuilder("the delivery thread made no progress for ")
                .append(since / 1000)
                .append(" s (edge.delivery-stall-timeout is ")
                .append(stallAfterMs / 1000)
                .append(" s); no live query on this edge receives changes. It is ")
                .append(thread.getState().name().toLowerCase(java.util.Locale.ROOT));
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length > 0) {
            why.append(" at ").append(stack[0]);
        }
        return why.append(". Take a thread dump (jstack) and restart the edge; its clients resume on another.")
                .toString();
    }
}
