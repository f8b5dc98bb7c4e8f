package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.router.RouterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment's Kafka client properties reach every Kafka client a router opens; Undercurrent's own keys win. */
class RouterClientsTest {

    @Test
    void everyClientGetsTheDeploymentsPropertiesButKeepsItsOwnGuarantees() {
        RouterSettings defaults = RouterSettings.defaults("r1", "k:9092", new Topics("t"));
        RouterSettings settings = new RouterSettings(
                defaults.routerId(),
                defaults.bootstrapServers(),
                defaults.topics(),
                defaults.groupId(),
                defaults.replicationFactor(),
                defaults.pollTimeout(),
                defaults.edgeTtl(),
                defaults.retryBackoff(),
                defaults.retryBackoffMax(),
                defaults.maxBatchesInFlight(),
                defaults.sessionTimeout(),
                defaults.heartbeatInterval(),
                Map.of(
                        "security.protocol",
                        "SSL",
                        "ssl.truststore.location",
                        "/trust.jks",
                        "enable.auto.commit",
                        "true",
                        "enable.idempotence",
                        "false"));
        RouterClients clients = new RouterClients(settings);
        for (Map<String, Object> config : List.of(
                clients.adminConfig(),
                clients.subscriptionsConfig(),
                clients.changesConfig(Duration.ofSeconds(6)),
                clients.producerConfig())) {
            assertThat(config)
                    .containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.truststore.location", "/trust.jks")
                    .containsEntry("bootstrap.servers", "k:9092");
        }
        assertThat(clients.changesConfig(Duration.ofSeconds(6))).containsEntry("enable.auto.commit", false);
        assertThat(clients.producerConfig())
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all");
    }
}
