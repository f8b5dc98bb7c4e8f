package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment's Kafka client properties reach every Kafka client an edge opens; Undercurrent's own keys win. */
class EdgeBusConfigTest {

    @Test
    void everyClientGetsTheDeploymentsPropertiesButKeepsItsOwnGuarantees() {
        EdgeSettings d = EdgeSettings.defaults("e1", "k:9092", new Topics("t"), "app");
        EdgeSettings settings = new EdgeSettings(
                d.edgeId(),
                d.bootstrapServers(),
                d.topics(),
                d.replicationFactor(),
                d.defaultSource(),
                d.allowAnonymous(),
                d.idleTimeout(),
                d.maxPendingBytes(),
                d.maxSubscriptions(),
                d.maxSnapshotRows(),
                d.maxBufferedDeltas(),
                d.framesPerSecond(),
                d.registrationTimeout(),
                d.heartbeatTtl(),
                d.workerThreads(),
                d.workerQueue(),
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256", "acks", "1"));
        for (Map<String, Object> config : List.of(
                EdgeBus.producerConfig(settings), EdgeBus.adminConfig(settings), EdgeBus.consumerConfig(settings))) {
            assertThat(config)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                    .containsEntry("bootstrap.servers", "k:9092");
        }
        assertThat(EdgeBus.producerConfig(settings)).containsEntry("acks", "all");
    }
}
