package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBrokerPropertiesTest {

    private static final Path DIR = Path.of("/var/lib/kafka-test");

    @Test
    void describesOneCombinedNodeOnLoopback() {
        Properties props = KafkaBrokerProperties.build(DIR, 9092, 9093, Map.of());

        assertThat(props)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("log.dirs", DIR.toAbsolutePath().toString());
    }

    @Test
    void usesSingleNodeDefaults() {
        Properties props = KafkaBrokerProperties.build(DIR, 9092, 9093, Map.of());

        assertThat(props)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("group.min.session.timeout.ms", "1000")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("metric.reporters", "")
                .containsEntry("metrics.jmx.exclude", ".*");
    }

    @Test
    void extraPropertiesWinOverDefaults() {
        Properties props = KafkaBrokerProperties.build(
                DIR, 9092, 9093, Map.of("auto.create.topics.enable", "true", "log.retention.ms", "60000"));

        assertThat(props).containsEntry("auto.create.topics.enable", "true").containsEntry("log.retention.ms", "60000");
    }

    @Test
    void rejectsEveryManagedKeyAtOnce() {
        assertThatThrownBy(() -> KafkaBrokerProperties.build(
                        DIR,
                        9092,
                        9093,
                        Map.of("listeners", "PLAINTEXT://:1", "node.id", "7", "log.retention.ms", "1")))
                .isInstanceOf(EmbeddedException.class)
                .hasMessageContaining("[listeners, node.id]")
                .hasMessageContaining("withPort");
    }
}
