package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.change.Topics;
import io.undercurrent.server.config.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server running the router and the edge in one process hands the edge its deliveries directly
 * ({@code router.local-delivery}): a client gets every change of a row, in commit order, while the
 * edge's Kafka topic carries no delivery (only fences); with the setting off, the same process
 * delivers through Kafka.
 */
class LocalDeliveryIT {

    private static final String EDGE = "edge-local-it";
    private static final int UPDATES = 40;

    @TempDir
    Path dataDir;

    @Test
    void roleAllHandsDeliveriesToItsEdgeAndKeepsEachRowsChangesInOrder() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_EDGE_ID", EDGE))) {
            List<String> titles = RowUpdates.seenInOrder(server, UPDATES, Duration.ofSeconds(30));
            assertThat(titles)
                    .as("every update, in commit order")
                    .containsExactlyElementsOf(RowUpdates.expected(UPDATES));
            assertThat(localDeliveries(server))
                    .as("deliveries the router handed to its edge directly")
                    .isGreaterThanOrEqualTo(UPDATES);
            List<ConsumerRecord<byte[], byte[]>> onTopic = edgeTopic(server);
            assertThat(onTopic.stream().filter(r -> !isFence(r)))
                    .as("no delivery went through the local edge's Kafka topic")
                    .isEmpty();
            assertThat(onTopic)
                    .as("the fences that keep order with other routers")
                    .anyMatch(LocalDeliveryIT::isFence);
        }
    }

    @Test
    void withTheSettingOffTheSameProcessDeliversThroughKafka() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(
                dataDir, Map.of("UNDERCURRENT_EDGE_ID", EDGE, "UNDERCURRENT_ROUTER_LOCAL_DELIVERY", "false"))) {
            List<String> titles = RowUpdates.seenInOrder(server, UPDATES, Duration.ofSeconds(30));
            assertThat(titles).containsExactlyElementsOf(RowUpdates.expected(UPDATES));
            assertThat(localDeliveries(server)).isZero();
            assertThat(edgeTopic(server).stream().filter(r -> !isFence(r)))
                    .as("deliveries on the edge's topic")
                    .hasSizeGreaterThanOrEqualTo(UPDATES);
        }
    }

    private static double localDeliveries(EmbeddedServer server) {
        return server.node
                .metrics()
                .registry()
                .get("undercurrent.router.local.deliveries")
                .functionCounter()
                .count();
    }

    private static boolean isFence(ConsumerRecord<byte[], byte[]> record) {
        return record.headers().lastHeader(LocalDeliveries.FENCE_HEADER) != null;
    }

    /** Every record on the edge's delivery topic. */
    private static List<ConsumerRecord<byte[], byte[]>> edgeTopic(EmbeddedServer server) {
        String topic = new Topics(server.node.config().get(ServerSettings.TOPIC_PREFIX)).edge(EDGE);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.node.config().get(ServerSettings.KAFKA_BOOTSTRAP));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
