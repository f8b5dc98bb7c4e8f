package io.undercurrent.router.internal;

import io.undercurrent.router.RouterSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients a router uses, configured in one place. */
final class RouterClients {

    private final RouterSettings settings;

    RouterClients(RouterSettings settings) {
        this.settings = settings;
    }

    /** The deployment's Kafka client properties (TLS, SASL...) first: every key Undercurrent sets after them wins. */
    private Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    Admin admin() {
        return Admin.create(adminConfig());
    }

    Map<String, Object> adminConfig() {
        Map<String, Object> config = base();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** Reads the whole subscriptions topic, outside any group: every router needs every subscription. */
    KafkaConsumer<byte[], byte[]> subscriptionsConsumer() {
        return new KafkaConsumer<>(subscriptionsConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Map<String, Object> subscriptionsConfig() {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-router-" + settings.routerId() + "-subs");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return config;
    }

    /**
     * The routers' group member.
     *
     * @param sessionTimeout the session timeout the brokers accept (see {@link GroupTimeouts})
     */
    KafkaConsumer<byte[], byte[]> changesConsumer(Duration sessionTimeout) {
        return new KafkaConsumer<>(
                changesConfig(sessionTimeout), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Map<String, Object> changesConfig(Duration sessionTimeout) {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-router-" + settings.routerId());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        // A router that dies without leaving the group keeps its partitions, and their deliveries stall,
        // until its session times out: the timeout is the recovery time after a crash.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                Math.min(settings.heartbeatInterval().toMillis(), sessionTimeout.toMillis() / 3));
        // Cooperative rebalancing: the routers that stay keep routing their own partitions while the
        // dead one's are handed over, instead of all stopping for the rebalance.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A partition this group never read is read from its start: a change written before the
        // router first saw the topic must still reach subscribers (edges drop what their snapshot has).
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // New sources' change topics are found by pattern; look for them every few seconds.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return config;
    }

    KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> config = base();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "undercurrent-router-" + settings.routerId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // No compression: deliveries are small and steady, and Kafka's compressors allocate their buffers for
        // every batch (the largest allocation on the router's path in a profile at 1,500 changes/s).
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A delivery topic that vanished (its edge is gone) must not stall routing for long.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }
}
