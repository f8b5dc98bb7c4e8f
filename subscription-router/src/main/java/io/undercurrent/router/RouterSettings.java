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
 * @param edgeTtl           subscriptions of an edge silent for this long are dropped, for an edge whose
 *                          heartbeat names no TTL of its own (routers honour the TTL an edge announces)
 * @param retryBackoff      first wait before retrying after Kafka refused a write or the loop failed; doubles
 *                          on each failure in a row up to {@code retryBackoffMax}
 * @param retryBackoffMax   longest wait between attempts; a failure that needs action is retried this often
 * @param maxBatchesInFlight batches of deliveries the loop may have unacknowledged before it waits for Kafka
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
        Duration retryBackoffMax,
        int maxBatchesInFlight,
        Duration sessionTimeout,
        Duration heartbeatInterval,
        Map<String, String> kafkaOverrides) {

    public RouterSettings {
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(groupId, "groupId");
        if (retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(
                    "retry backoff maximum " + retryBackoffMax + " is below the retry backoff " + retryBackoff);
        }
        if (maxBatchesInFlight < 1) {
            throw new IllegalArgumentException("max batches in flight must be at least 1, not " + maxBatchesInFlight);
        }
        if (heartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException(
                    "heartbeat interval " + heartbeatInterval + " is more than a third of the session timeout "
                            + sessionTimeout + "; a router would be taken for dead between two heartbeats");
        }
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
    }

    public static RouterSettings defaults(String routerId, String bootstrapServers, Topics topics) {
        return new RouterSettings(
                routerId,
                bootstrapServers,
                topics,
                topics.prefix() + "-router",
                (short) 1,
                RouterSettingDeclarations.POLL_TIMEOUT.defaultValue(),
                RouterSettingDeclarations.EDGE_TTL.defaultValue(),
                RouterSettingDeclarations.RETRY_BACKOFF.defaultValue(),
                RouterSettingDeclarations.RETRY_BACKOFF_MAX.defaultValue(),
                RouterSettingDeclarations.MAX_BATCHES_IN_FLIGHT.defaultValue(),
                RouterSettingDeclarations.SESSION_TIMEOUT.defaultValue(),
                RouterSettingDeclarations.HEARTBEAT_INTERVAL.defaultValue(),
                Map.of());
    }
}
