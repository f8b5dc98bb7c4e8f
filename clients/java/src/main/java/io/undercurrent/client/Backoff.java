package io.undercurrent.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each reconnect: exponential, capped, with jitter so that clients dropped
 * together do not come back together. Attempt {@code n} (0 first) waits between half and all of
 * {@code min(max, initial * 2^n)}.
 *
 * @param initial the base of the first attempt
 * @param max     the cap of the base
 * @param random  numbers in [0, 1) for the jitter
 */
public record Backoff(Duration initial, Duration max, DoubleSupplier random) {

    /** 250 ms doubling to 15 s, as the JavaScript client. */
    public static final Backoff DEFAULT = exponential(Duration.ofMillis(250), Duration.ofSeconds(15));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(random, "random");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < initial <= max, got initial " + initial + " and max " + max);
        }
    }

    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The same delays with another source of jitter (a fixed one makes the delays exact, for tests). */
    public Backoff withRandom(DoubleSupplier random) {
        return new Backoff(initial, max, random);
    }

    /** The wait before attempt {@code attempt} (0 for the first). */
    public Duration delay(int attempt) {
        long base = Math.min(max.toMillis(), initial.toMillis() << Math.min(Math.max(attempt, 0), 30));
        return Duration.ofMillis(Math.round(base / 2.0 + random.getAsDouble() * base / 2.0));
    }
}
