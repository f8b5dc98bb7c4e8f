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
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates a change topic if it does not exist yet; an existing topic is left exactly as it is. */
final class TopicCreator {

    private TopicCreator() {}

    static Map<String, Object> adminConfig(IngestSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    static void ensure(IngestSettings settings, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig(settings))) {
            NewTopic newTopic = new NewTopic(topic, settings.changePartitions(), settings.replicationFactor());
            admin.createTopics(List.of(newTopic)).all().get(20, TimeUnit.SECONDS);
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
