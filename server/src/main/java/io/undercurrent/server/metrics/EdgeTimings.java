package io.undercurrent.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undercurrent.edge.EdgeObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's timings as Prometheus histograms: {@code undercurrent_snapshot_duration_seconds{source,outcome}}
 * and {@code undercurrent_commit_to_client_seconds}. Fixed buckets (a dozen each, exposed as
 * {@code _bucket}) rather than Micrometer's percentile histogram (some 70 buckets per series), so a
 * scrape stays small; labels are the configured source and the read's outcome, never a user or a
 * table. Thread-safe: called on worker and IO threads.
 */
final class EdgeTimings implements EdgeObserver {

    /** From a primary-key lookup to a large initial result on a loaded database. */
    static final Duration[] SNAPSHOT_BUCKETS =
            millis(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);

    /** From a quiet pipeline (tens of ms) to a router failing over or a saturated node (seconds). */
    static final Duration[] COMMIT_TO_CLIENT_BUCKETS =
            millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000);

    private final MeterRegistry registry;
    private final Map<String, Timer> reads = new ConcurrentHashMap<>();
    private final Timer commitToClient;

    EdgeTimings(MeterRegistry registry) {
        this.registry = registry;
        this.commitToClient = Timer.builder("undercurrent.commit.to.client")
                .description("from a change's commit in the source database (its commit timestamp, millisecond "
                        + "precision, the database's clock) to the edge writing a frame with it to a client's socket "
                        + "(this edge's clock); one observation per transaction a frame carries, per client, so its "
                        + "count is what reached sockets, in transactions × clients")
                .serviceLevelObjectives(COMMIT_TO_CLIENT_BUCKETS)
                .register(registry);
    }

    @Override
    public void snapshotRead(String source, Outcome outcome, long nanos) {
        reads.computeIfAbsent(
                        source + '\u0000' + outcome.label(),
                        k -> Timer.builder("undercurrent.snapshot.duration")
                                .description(
                                        "reads of live queries' results from a source (initial results, fresh reads "
                                                + "after a reset, windows read again), by how they ended")
                                .tag("source", source)
                                .tag("outcome", outcome.label())
                                .serviceLevelObjectives(SNAPSHOT_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void changeWritten(long committedAtMs, long writtenAtMs) {
        // A database clock ahead of this edge's would make the latency negative, which a timer drops;
        // it is counted as 0 so the count still says how many frames went out.
        commitToClient.record(Math.max(0, writtenAtMs - committedAtMs), TimeUnit.MILLISECONDS);
    }

    private static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }
}
