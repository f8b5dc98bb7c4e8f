package io.undercurrent.server.roles;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every knob a role uses comes from the configuration, and the Kafka pass-through reaches every role's clients. */
class RoleSettingsTest {

    @TempDir
    Path dir;

    /** The settings given, on a cluster of one's own with one source. */
    private Config load(String yaml) throws Exception {
        Path file = dir.resolve("undercurrent.yaml");
        Files.writeString(file, yaml + """
                embedded:
                  enabled: false
                sources:
                  app:
                    database: app
                    user: uc
                """);
        return new ConfigLoader(Map.of()).load(file);
    }

    @Test
    void kafkaPropertiesReachTheSettingsOfEveryRole() throws Exception {
        Config config = load("""
                kafka:
                  bootstrap-servers: k:9092
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                """);
        Map<String, String> expected = Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512");
        assertThat(RouterRole.settings(config).kafkaOverrides()).isEqualTo(expected);
        assertThat(EdgeRole.settings(config).kafkaOverrides()).isEqualTo(expected);
        assertThat(IngestRole.settings(config).kafkaOverrides()).isEqualTo(expected);
    }

    @Test
    void theRolesTimingsAndLimitsAreSettings() throws Exception {
        Config config = load("""
                kafka:
                  bootstrap-servers: k:9092
                edge:
                  heartbeat-ttl: 12s
                  max-buffered-deltas: 500
                  worker-threads: 4
                  worker-queue: 64
                  schema-cache-ttl: 5m
                  delivery-retry-backoff: 1s
                  delivery-retry-backoff-max: 45s
                  window-read-delay: 50ms
                router:
                  group-id: routers-eu
                  retry-backoff: 200ms
                  retry-backoff-max: 5s
                  max-batches-in-flight: 3
                ingest:
                  retry-backoff: 250ms
                  retry-backoff-max: 7s
                  publish-timeout: 90s
                """);
        EdgeSettings edge = EdgeRole.settings(config);
        assertThat(edge.heartbeatTtl()).isEqualTo(Duration.ofSeconds(12));
        assertThat(edge.maxBufferedDeltas()).isEqualTo(500);
        assertThat(edge.workerThreads()).isEqualTo(4);
        assertThat(edge.workerQueue()).isEqualTo(64);
        assertThat(edge.schemaCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(edge.deliveryRetryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(edge.deliveryRetryBackoffMax()).isEqualTo(Duration.ofSeconds(45));
        assertThat(edge.windowReadDelay()).isEqualTo(Duration.ofMillis(50));
        RouterSettings router = RouterRole.settings(config);
        assertThat(router.groupId()).isEqualTo("routers-eu");
        assertThat(router.retryBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(router.retryBackoffMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(router.maxBatchesInFlight()).isEqualTo(3);
        IngestSettings ingest = IngestRole.settings(config);
        assertThat(ingest.retryBackoffMin()).isEqualTo(Duration.ofMillis(250));
        assertThat(ingest.retryBackoffMax()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ingest.publishTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anEdgeDeliveryBackoffMaximumBelowItsFirstPauseIsRefusedNamingBothSettings() throws Exception {
        Config config = load("""
                kafka:
                  bootstrap-servers: k:9092
                edge:
                  delivery-retry-backoff: 10s
                  delivery-retry-backoff-max: 2s
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EdgeRole.settings(config))
                .hasMessageContaining("edge.delivery-retry-backoff-max")
                .hasMessageContaining("edge.delivery-retry-backoff (");
    }

    @Test
    void theRoutersGroupDefaultsToTheTopicPrefix() throws Exception {
        Config config = load("kafka:\n  bootstrap-servers: k:9092\n  topic-prefix: shop\n");
        assertThat(RouterRole.settings(config).groupId()).isEqualTo("shop-router");
    }
}
