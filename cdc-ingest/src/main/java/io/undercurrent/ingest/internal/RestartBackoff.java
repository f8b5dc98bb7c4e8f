package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.SourceException;
import java.time.Duration;

/**
 * How long a failed source waits before its next start: doubling from {@code min} up to {@code max}
 * over failures in a row, reset once the source streams again. A failure that needs action waits
 * {@code max} every time, so fixing the cause is enough and the database is not asked in a tight
 * loop. Not thread-safe: the ingest loop's thread only.
 */
final class RestartBackoff {

    private final Duration min;
    private final Duration max;
    private long failuresInARow;
    private long failures;

    RestartBackoff(Duration min, Duration max) {
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
    }

    /** Counts the failure and returns the wait before the next start. */
    Duration failed(SourceException failure) {
        failuresInARow++;
        failures++;
        return failure.retriable() ? pause(failuresInARow) : max;
    }

    /** The source streams again: the next failure waits {@code min}. */
    void succeeded() {
        failuresInARow = 0;
    }

    /** The wait before restart {@code attempt} (1-based) of a run of failures. */
    Duration pause(long attempt) {
        long minMs = min.toMillis();
        long exp = minMs << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(max.toMillis(), Math.max(minMs, exp)));
    }

    long failuresInARow() {
        return failuresInARow;
    }

    /** Failures since the source was created: its restarts. */
    long failures() {
        return failures;
    }
}
