package io.undercurrent.bus.channel;

import io.undercurrent.bus.kafka.BusTopics;
import io.undercurrent.change.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

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

    /** Creates both topics if they are missing, in one request; existing ones are left as they are. */
    public static void ensure(Admin admin, Topics topics, short replicationFactor) {
        BusTopics.create(
                admin,
                new NewTopic(presence(topics), 1, replicationFactor)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                // tombstones (leaves) must outlive the time a starting node takes to read
                                TopicConfig.DELETE_RETENTION_MS_CONFIG,
                                Long.toString(TimeUnit.HOURS.toMillis(1)))),
                new NewTopic(messages(topics), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(MESSAGE_RETENTION_MS))));
    }
}
