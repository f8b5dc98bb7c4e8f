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
 * @param sessionTimeout    the consumer-group session timeout: a router that died without leaving is
 *                          replaced this long after its last heartbeat (raised to the brokers'
 *                          {@code group.min.session.timeout.ms} when below it)
 * @param heartbeatInterval how often the router's consumer heartbeats; at most a third of the session timeout
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
        Duration sessionTimeout,
        Duration heartbeatInterval,
        Map<String, String> kafkaOverrides) {

    public RouterSettings {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(groupId, "groupId");
        if (heartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException("heartbeat interval " + heartbeatInterval + " is more than a third of the session timeout "
                    + sessionTimeout + "; a router would be taken for dead between two heartbeats");
        }
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
    }

    public static RouterSettings defaults(String routerId, String bootstrapServers, Topics topics) {
        return new RouterSettings(routerId, bootstrapServers, topics, topics.prefix() + "-router", (short) 1,
                Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1), Map.of());
    }
}
