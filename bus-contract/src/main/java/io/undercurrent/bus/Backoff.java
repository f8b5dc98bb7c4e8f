package io.undercurrent.bus;

import java.time.Duration;
import java.util.Objects;

/**
 * Waits between attempts that double from {@code min} to {@code max}, reset by a success: how the
 * router and edge loops pace their retries after Kafka failed them. Not thread-safe: one per loop.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private Duration next;

    public Backoff(Duration min, Duration max) {
        this.min = Objects.requireNonNull(min, "min");
        this.max = max.compareTo(min) < 0 ? min : max;
        this.next = min;
    }

    /** The wait before the next attempt; each call doubles the one after, up to {@link #max()}. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** An attempt succeeded: the next failure waits {@code min} again. */
    public void reset() {
        next = min;
    }

    /** The longest wait: how often a failure that needs action is tried again, so fixing its cause is enough. */
    public Duration max() {
        return max;
    }
}
