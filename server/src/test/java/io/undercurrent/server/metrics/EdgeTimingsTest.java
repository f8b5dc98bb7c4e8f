package io.undercurrent.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.edge.EdgeObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EdgeTimingsTest {

    private final NodeMetrics metrics = new NodeMetrics();
    private final EdgeObserver timings = metrics.edgeObserver();

    @Test
    void commitToClientIsAHistogramWithFixedBuckets() {
        timings.changeWritten(1_000, 1_042);
        String text = metrics.scrape();
        assertThat(text)
                .contains("undercurrent_commit_to_client_seconds_bucket{le=\"0.025\"} 0")
                .contains("undercurrent_commit_to_client_seconds_bucket{le=\"0.05\"} 1")
                .contains("undercurrent_commit_to_client_seconds_count 1")
                .contains("undercurrent_commit_to_client_seconds_sum 0.042");
        assertThat(text.lines().filter(l -> l.startsWith("undercurrent_commit_to_client_seconds_bucket")))
                .hasSize(EdgeTimings.COMMIT_TO_CLIENT_BUCKETS.length + 1);
    }

    /** A database clock ahead of the edge's: still one frame out, counted at 0 rather than dropped. */
    @Test
    void aNegativeLatencyCountsAsZero() {
        timings.changeWritten(2_000, 1_990);
        assertThat(metrics.scrape())
                .contains("undercurrent_commit_to_client_seconds_bucket{le=\"0.005\"} 1")
                .contains("undercurrent_commit_to_client_seconds_count 1");
    }

    @Test
    void snapshotReadsAreLabelledBySourceAndOutcome() {
        timings.snapshotRead("app", EdgeObserver.Outcome.OK, TimeUnit.MILLISECONDS.toNanos(3));
        timings.snapshotRead("app", EdgeObserver.Outcome.OK, TimeUnit.MILLISECONDS.toNanos(300));
        timings.snapshotRead("app", EdgeObserver.Outcome.FAILED, TimeUnit.SECONDS.toNanos(31));
        String text = metrics.scrape();
        assertThat(text)
                .contains("undercurrent_snapshot_duration_seconds_bucket{outcome=\"ok\",source=\"app\",le=\"0.005\"} 1")
                .contains("undercurrent_snapshot_duration_seconds_bucket{outcome=\"ok\",source=\"app\",le=\"0.5\"} 2")
                .contains("undercurrent_snapshot_duration_seconds_count{outcome=\"ok\",source=\"app\"} 2")
                .contains(
                        "undercurrent_snapshot_duration_seconds_bucket{outcome=\"failed\",source=\"app\",le=\"30.0\"} 0")
                .contains(
                        "undercurrent_snapshot_duration_seconds_bucket{outcome=\"failed\",source=\"app\",le=\"+Inf\"} 1");
    }

    @Test
    void consumerLagIsNaNWhileUnknown() {
        long[] lag = {-1};
        metrics.router(
                () -> new io.undercurrent.router.RouterHealth(true, true, 1, null, 0, 0, 0, false, 0, lag[0], 0, 0));
        assertThat(metrics.scrape()).contains("undercurrent_consumer_lag{role=\"router\"} NaN");
        lag[0] = 7;
        assertThat(metrics.scrape()).contains("undercurrent_consumer_lag{role=\"router\"} 7.0");
    }
}
