package io.undercurrent.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The connection cap must leave descriptors for Kafka, the rules and the databases; checked at start. */
class DescriptorBudgetTest {

    private static Config config(Map<String, String> environment) throws ConfigException {
        return new ConfigLoader(environment).load(null);
    }

    @Test
    void theDefaultIsTenThousandWhenTheLimitAllowsIt() throws Exception {
        HttpLimits limits = DescriptorBudget.httpLimits(config(Map.of()), OptionalLong.of(1_048_576));
        assertThat(limits.maxConnections()).isEqualTo(10_000);
        assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDefaultShrinksToWhatTheLimitLeavesAfterTheReserve() throws Exception {
        assertThat(DescriptorBudget.httpLimits(config(Map.of()), OptionalLong.of(4096))
                        .maxConnections())
                .isEqualTo(4096 - DescriptorBudget.RESERVE);
    }

    @Test
    void aConfiguredCapAboveTheBudgetStopsStartUpNamingTheSettingAndTheMost() throws Exception {
        Config config = config(Map.of("UNDERCURRENT_HTTP_MAX_CONNECTIONS", "20000"));
        assertThatThrownBy(() -> DescriptorBudget.httpLimits(config, OptionalLong.of(20_000)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'http.max-connections' = 20000 does not fit")
                .hasMessageContaining("ulimit -n")
                .hasMessageContaining("at most " + (20_000 - DescriptorBudget.RESERVE));
    }

    @Test
    void aConfiguredCapWithinTheBudgetIsKept() throws Exception {
        Config config =
                config(Map.of("UNDERCURRENT_HTTP_MAX_CONNECTIONS", "18000", "UNDERCURRENT_HTTP_REQUEST_TIMEOUT", "3s"));
        HttpLimits limits = DescriptorBudget.httpLimits(config, OptionalLong.of(20_000));
        assertThat(limits.maxConnections()).isEqualTo(18_000);
        assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLimitThatLeavesNothingForConnectionsStopsStartUp() {
        assertThatThrownBy(
                        () -> DescriptorBudget.httpLimits(config(Map.of()), OptionalLong.of(DescriptorBudget.RESERVE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no file descriptors are left for connections");
    }

    @Test
    void withoutADescriptorLimitTheDefaultApplies() throws Exception {
        assertThat(DescriptorBudget.httpLimits(config(Map.of()), OptionalLong.empty())
                        .maxConnections())
                .isEqualTo(10_000);
    }

    @Test
    void thisProcessReportsItsLimit() {
        assertThat(DescriptorBudget.processLimit())
                .as("Unix JVMs expose the descriptor limit")
                .isPresent();
    }
}
