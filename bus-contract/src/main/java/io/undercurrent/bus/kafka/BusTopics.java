package io.undercurrent.bus.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics routers and edges share, if they do not exist yet. Existing topics are left
 * as they are, so an operator may create them beforehand with other settings.
 */
public final class BusTopics {

    private BusTopics() {}

    /** The compacted subscriptions topic: the latest record per subscription is its current state. */
    public static void ensureSubscriptions(Admin admin, String topic, short replicationFactor) {
        create(admin, subscriptions(topic, replicationFactor));
    }

    /** The subscriptions topic as {@link #ensureSubscriptions} creates it, to create with others. */
    public static NewTopic subscriptions(String topic, short replicationFactor) {
        return new NewTopic(topic, 1, replicationFactor)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                        "60000"));
    }

    /**
     * An edge's delivery topic. One partition keeps deliveries in the order routers wrote them; short
     * retention because a delivery only matters to connections that are open right now.
     */
    public static NewTopic edge(String topic, short replicationFactor) {
        return new NewTopic(topic, 1, replicationFactor)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.HOURS.toMillis(1))));
    }

    /**
     * Creates each of {@code topics} unless it exists, in one request (the controller writes them
     * together, and the caller waits once); a clear error when Kafka refuses one or does not answer
     * within 20 s.
     */
    public static void create(Admin admin, NewTopic... topics) {
        Map<String, KafkaFuture<Void>> created =
                admin.createTopics(List.of(topics)).values();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (NewTopic topic : topics) {
            awaitCreated(topic.name(), created.get(topic.name()), deadline);
        }
    }

    private static void awaitCreated(String topic, KafkaFuture<Void> created, long deadline) {
        try {
            created.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within 20 s while creating topic " + topic + "; is it running and reachable?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }
}
