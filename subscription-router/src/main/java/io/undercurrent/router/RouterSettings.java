package io.undercurrent.router;

import io.undercurrent.change.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one router process. Built and validated by the server from its configuration.
 *
 * @param routerId          names this router in acknowledgements and logs
 * @param bootstrapServers  the Kafka cluster
 * @param topics            topic naming
 * @param groupId           consumer group shared by all routers; they split the change partitions
 * @param replicationFactor replication factor of topics the router creates
 * @param pollTimeout       longest wait for changes in one loop turn; also bounds how late a new
 *                          subscription is registered while no changes arrive
 * @param edgeTtl           subscriptions of an edge silent for this long are dropped
 * @param retryBackoff      wait before retrying after Kafka refused a write
 * @param kafkaOverrides    extra Kafka client settings (security etc.)
 */
public record RouterSettings(
        String routerId,
        String bootstrapServers,
        Topics topics,
        String groupId,
        short replicationFactor,
        Duration pollTimeout,
        Duration edgeTtl,
        Duration retryBackoff,
        Map<String, String> kafkaOverrides) {

    public RouterSettings {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(groupId, "groupId");
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
    }

    public static RouterSettings defaults(String routerId, String bootstrapServers, Topics topics) {
        return new RouterSettings(routerId, bootstrapServers, topics, topics.prefix() + "-router", (short) 1,
                Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1), Map.of());
    }
}
