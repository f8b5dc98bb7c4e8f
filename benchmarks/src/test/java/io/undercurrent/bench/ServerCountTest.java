package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerCountTest {

    @Test
    void readsTheCountOfCommitToClientObservationsFromAPrometheusExposition() {
        String exposition = """
                # HELP undercurrent_commit_to_client_seconds from a change's commit ...
                # TYPE undercurrent_commit_to_client_seconds histogram
                undercurrent_commit_to_client_seconds_bucket{le="0.005"} 3.0
                undercurrent_commit_to_client_seconds_count 1234567.0
                undercurrent_commit_to_client_seconds_sum 41.5
                """;

        assertThat(ServerCount.parse(exposition)).isEqualTo(1_234_567L);
    }

    @Test
    void aServerWithoutTheMetricIsNotCounted() {
        assertThat(ServerCount.parse("undercurrent_connections 3.0\n")).isEqualTo(-1);
    }
}
