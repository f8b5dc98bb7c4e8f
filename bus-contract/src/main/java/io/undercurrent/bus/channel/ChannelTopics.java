package io.undercurrent.bus.channel;

import io.undercurrent.change.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The channel topics' names ({@code <prefix>.presence}, {@code <prefix>.channel-messages}) and their
 * creation. One partition each: every edge reads all of both, and one partition keeps a member's join
 * and leave, and one publisher's messages, in order.
 */
public final class ChannelTopics {

    /** How long a channel message is kept: only connections present right now need it. */
    public static final long MESSAGE_RETENTION_MS = TimeUnit.MINUTES.toMillis(1);

    private ChannelTopics() {}

    public static String presence(Topics topics) {
        return topics.prefix() + ".presence";
    }

    public static String messages(Topics topics) {
        return topics.prefix() + ".channel-messages";
    }

    /** Creates both topics if they are missing; existing ones are left as they are. */
    public static void ensure(Admin admin, Topics topics, short replicationFactor) {
        create(
                admin,
                new NewTopic(presence(topics), 1, replicationFactor)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                // tombstones (leaves) must outlive the time a starting node takes to read
                                TopicConfig.DELETE_RETENTION_MS_CONFIG,
                                Long.toString(TimeUnit.HOURS.toMillis(1)))));
        create(
                admin,
                new NewTopic(messages(topics), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(MESSAGE_RETENTION_MS))));
    }

    private static void create(Admin admin, NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within 20 s while creating topic " + topic.name()
                            + "; is it running and reachable?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }
}
