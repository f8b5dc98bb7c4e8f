package io.undercurrent.edge.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.EdgeHeartbeat;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.bus.kafka.BusTopics;
import io.undercurrent.edge.EdgeSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The edge's side of Kafka: publishes subscriptions and heartbeats, and opens the consumer of this
 * edge's delivery topic. The producer is thread-safe; the consumer belongs to the delivery thread.
 */
final class EdgeBus implements SubscriptionPublisher, AutoCloseable {

    private final EdgeSettings settings;
    private final BusCodec codec;
    private final KafkaProducer<byte[], byte[]> producer;

    EdgeBus(EdgeSettings settings, BusCodec codec) {
        this.settings = settings;
        this.codec = codec;
        this.producer =
                new KafkaProducer<>(producerConfig(settings), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> producerConfig(EdgeSettings settings) {
        Map<String, Object> config = base(settings);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "undercurrent-edge-" + settings.edgeId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** The deployment's Kafka client properties (TLS, SASL...) first: every key Undercurrent sets after them wins. */
    private static Map<String, Object> base(EdgeSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    /** Creates the subscriptions topic and this edge's delivery topic if they are missing. */
    void ensureTopics() {
        try (Admin admin = Admin.create(adminConfig(settings))) {
            BusTopics.create(
                    admin,
                    BusTopics.subscriptions(settings.topics().subscriptions(), settings.replicationFactor()),
                    BusTopics.edge(settings.topics().edge(settings.edgeId()), settings.replicationFactor()));
        }
    }

    /**
     * A feed of this edge's deliveries, not yet positioned ({@link DeliveryFeed#open}): first at the
     * end, since what was written before this edge started belongs to connections that no longer
     * exist; after a failure, where the last one stopped.
     */
    DeliveryFeed deliveries() {
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new KafkaDeliveryFeed(consumer, settings.topics().edge(settings.edgeId()));
    }

    static Map<String, Object> adminConfig(EdgeSettings settings) {
        Map<String, Object> config = base(settings);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    static Map<String, Object> consumerConfig(EdgeSettings settings) {
        Map<String, Object> config = base(settings);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-edge-" + settings.edgeId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return config;
    }

    @Override
    public CompletableFuture<Void> publish(SubscriptionRecord record) {
        return send(record.id().asKey(), codec.encode(record));
    }

    @Override
    public CompletableFuture<Void> unpublish(SubscriptionId id) {
        return send(id.asKey(), null);
    }

    CompletableFuture<Void> heartbeat(long now, long ttlMs) {
        EdgeHeartbeat heartbeat = new EdgeHeartbeat(settings.edgeId(), now, ttlMs);
        return send(heartbeat.key(), codec.encode(heartbeat));
    }

    /** Tells routers this edge is gone, so they drop its subscriptions at once. */
    CompletableFuture<Void> farewell() {
        return send(EdgeHeartbeat.KEY_PREFIX + settings.edgeId(), null);
    }

    private CompletableFuture<Void> send(String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(
                    new ProducerRecord<>(
                            settings.topics().subscriptions(), key.getBytes(StandardCharsets.UTF_8), value),
                    (metadata, error) -> {
                        if (error == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(error);
                        }
                    });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
