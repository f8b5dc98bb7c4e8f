package io.undercurrent.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check itself: it must catch a renamed metric, a selected label a metric lacks and a grouping
 * by a missing label. (Whether the shipped dashboard passes on a real server's scrape is
 * {@code OperationsIT}'s job.)
 */
class DashboardQueriesTest {

    @TempDir
    Path dir;

    private static final String SCRAPE = """
            # TYPE undercurrent_snapshot_duration_seconds histogram
            undercurrent_snapshot_duration_seconds_bucket{outcome="ok",source="app",le="0.005"} 1
            undercurrent_snapshot_duration_seconds_count{outcome="ok",source="app"} 1
            undercurrent_consumer_lag{role="router"} 0.0
            """;

    private DashboardQueries dashboard(String... exprs) throws Exception {
        StringBuilder json = new StringBuilder("{\"panels\":[");
        for (int i = 0; i < exprs.length; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"targets\":[{\"expr\":\"")
                    .append(exprs[i].replace("\"", "\\\""))
                    .append("\"}]}");
        }
        Path file = dir.resolve("d.json");
        Files.writeString(file, json.append("]}").toString());
        return DashboardQueries.read(file);
    }

    @Test
    void queriesOnExposedMetricsAndLabelsPass() throws Exception {
        assertThat(dashboard(
                                "histogram_quantile(0.95, sum by (le, source) (rate(undercurrent_snapshot_duration_seconds_bucket{outcome=\"ok\",instance=~\"$instance\"}[5m])))",
                                "max by (role, instance) (undercurrent_consumer_lag)")
                        .problems(SCRAPE))
                .isEmpty();
    }

    @Test
    void aRenamedMetricIsCaught() throws Exception {
        assertThat(dashboard("max by (role) (undercurrent_consumer_lags)").problems(SCRAPE))
                .singleElement()
                .asString()
                .contains("undercurrent_consumer_lags");
    }

    @Test
    void aSelectedLabelTheMetricLacksIsCaught() throws Exception {
        assertThat(dashboard("rate(undercurrent_snapshot_duration_seconds_count{result=\"ok\"}[5m])")
                        .problems(SCRAPE))
                .singleElement()
                .asString()
                .contains("no label result");
    }

    @Test
    void aGroupingByAMissingLabelIsCaught() throws Exception {
        assertThat(dashboard("sum by (table) (rate(undercurrent_snapshot_duration_seconds_count[5m]))")
                        .problems(SCRAPE))
                .singleElement()
                .asString()
                .contains("grouped by table");
    }

    @Test
    void theShippedDashboardHasQueries() throws Exception {
        assertThat(DashboardQueries.read(DashboardQueries.DASHBOARD).queries()).hasSizeGreaterThan(10);
    }
}
