package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.IngestSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates change topics that do not exist yet; an existing topic is left exactly as it is. */
final class TopicCreator {

    private TopicCreator() {}

    static Map<String, Object> adminConfig(IngestSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /**
     * Creates the topics of {@code topics} that do not exist yet, in one request: each created topic
     * costs the controller a metadata write, and one request waits for them together.
     */
    static void ensure(IngestSettings settings, List<String> topics) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig(settings))) {
            List<NewTopic> newTopics = topics.stream()
                    .map(topic -> new NewTopic(topic, settings.changePartitions(), settings.replicationFactor()))
                    .toList();
            Map<String, KafkaFuture<Void>> created =
                    admin.createTopics(newTopics).values();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (String topic : topics) {
                awaitCreated(settings, topic, created.get(topic), deadline);
            }
        }
    }

    private static void awaitCreated(IngestSettings settings, String topic, KafkaFuture<Void> created, long deadline)
            throws InterruptedException {
        try {
            created.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create change topic " + topic + " on " + settings.bootstrapServers() + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + settings.bootstrapServers() + " did not answer within 20 s while creating " + topic
                            + "; is it running and reachable?",
                    e);
        }
    }
}
