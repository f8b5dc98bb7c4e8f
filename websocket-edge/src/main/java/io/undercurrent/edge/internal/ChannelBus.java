package io.undercurrent.edge.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.ChannelTopics;
import io.undercurrent.bus.channel.NodeHeartbeat;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.edge.EdgeSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the channel topics. Publishes its clients' presence, its messages and its
 * heartbeats; one thread of its own reads both topics into {@link Presence}: the presence topic from
 * its start (who is present already), the messages topic from its end. Once it has read the presence
 * topic up to where it stood at start, it sweeps silent nodes every second and removes their
 * records from the topic (every node may do so; a tombstone twice is harmless). While reading fails,
 * {@link #failure()} says why and since when (the edge's health shows it), until a read succeeds.
 */
final class ChannelBus implements ChannelPublisher, Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelBus.class);
    private static final long SWEEP_EVERY_MS = 1000;

    private final EdgeSettings settings;
    private final String node;
    private final BusCodec codec;
    private final Presence presence;
    private final Clock clock;
    private final String presenceTopic;
    private final String messagesTopic;
    private final Producer<byte[], byte[]> producer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private Consumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private volatile Failure failure;
    private long catchUpTo;
    private long lastSweep;

    /** Why reading the channel topics fails, and since when (epoch milliseconds of the first failure). */
    record Failure(String reason, long sinceMillis) {}

    ChannelBus(EdgeSettings settings, String node, BusCodec codec, Presence presence, Clock clock) {
        this(settings, node, codec, presence, clock, producer(settings));
    }

    ChannelBus(
            EdgeSettings settings,
            String node,
            BusCodec codec,
            Presence presence,
            Clock clock,
            Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.node = node;
        this.codec = codec;
        this.presence = presence;
        this.clock = clock;
        this.presenceTopic = ChannelTopics.presence(settings.topics());
        this.messagesTopic = ChannelTopics.messages(settings.topics());
        this.producer = producer;
    }

    private static Producer<byte[], byte[]> producer(EdgeSettings settings) {
        Map<String, Object> config = EdgeBus.producerConfig(settings);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "undercurrent-edge-" + settings.edgeId() + "-channels");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates the topics if missing and positions the reader; call before {@link #run()}. */
    void open() {
        try (Admin admin = Admin.create(EdgeBus.adminConfig(settings))) {
            ChannelTopics.ensure(admin, settings.topics(), settings.replicationFactor());
        }
        Map<String, Object> config = EdgeBus.consumerConfig(settings);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-edge-" + settings.edgeId() + "-channels");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        open(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    /** Positions {@code reader} on the channel topics (the topics exist); it reads from now on. */
    void open(Consumer<byte[], byte[]> reader) {
        consumer = reader;
        TopicPartition presencePartition = new TopicPartition(presenceTopic, 0);
        TopicPartition messagesPartition = new TopicPartition(messagesTopic, 0);
        consumer.assign(List.of(presencePartition, messagesPartition));
        consumer.seekToBeginning(List.of(presencePartition));
        consumer.seekToEnd(List.of(messagesPartition));
        catchUpTo = consumer.endOffsets(List.of(presencePartition)).get(presencePartition);
        consumer.position(messagesPartition); // resolve the end now: messages sent from here on are seen
    }

    /**
     * Waits until the presence topic has been read up to where it stood at {@link #open()}, so that a
     * client joining from now on is told everyone present.
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        while (running) {
            if (!readOnce() && running) {
                pause();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** Why reading the channel topics fails now, and since when; null while it works. */
    Failure failure() {
        return failure;
    }

    /**
     * One poll of the channel topics, applied to presence, then the sweep of silent nodes when due.
     *
     * @return false when it failed (logged, and kept as {@link #failure()} until a poll succeeds)
     */
    boolean readOnce() {
        TopicPartition presencePartition = new TopicPartition(presenceTopic, 0);
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                apply(record);
            }
            Failure recovered = failure;
            if (recovered != null) {
                failure = null;
                LOG.info(
                        "reading the channel topics works again (it failed from {})",
                        java.time.Instant.ofEpochMilli(recovered.sinceMillis()));
            }
            if (caughtUp.getCount() > 0 && consumer.position(presencePartition) >= catchUpTo) {
                caughtUp.countDown();
            }
            long now = clock.millis();
            if (caughtUp.getCount() == 0 && now - lastSweep >= SWEEP_EVERY_MS) {
                lastSweep = now;
                Presence.Expired expired = presence.expire(now);
                if (!expired.nodes().isEmpty()) {
                    LOG.info(
                            "edges {} went silent; their {} clients left presence",
                            expired.nodes(),
                            expired.members().size());
                    expired.members().forEach(this::leave);
                    expired.nodes().forEach(n -> send(presenceTopic, new PresenceKey.Node(n).asKey(), null));
                }
            }
            return true;
        } catch (WakeupException e) {
            return true; // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("reading the channel topics failed; trying again in 1 s: {}", e.toString());
                Failure before = failure;
                failure = new Failure(e.toString(), before == null ? clock.millis() : before.sinceMillis());
            }
            return false;
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(messagesTopic)) {
                if (record.value() != null) {
                    presence.deliver(codec.decode(record.value(), ChannelMessage.class));
                }
                return;
            }
            PresenceKey key = PresenceKey.parse(new String(record.key(), StandardCharsets.UTF_8));
            if (key instanceof PresenceKey.Member member) {
                if (record.value() == null) {
                    presence.remoteLeave(member, record.timestamp());
                } else {
                    presence.remoteJoin(codec.decode(record.value(), PresenceRecord.class), record.timestamp());
                }
            } else if (record.value() == null) {
                presence.nodeLeft(key.node());
            } else {
                presence.heartbeat(codec.decode(record.value(), NodeHeartbeat.class), record.timestamp());
            }
        } catch (IllegalArgumentException e) {
            // Another version's record, or a stranger's: skipping it loses at most one presence.
            LOG.warn("ignoring a record on {} at offset {}: {}", record.topic(), record.offset(), e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> join(PresenceRecord record) {
        return send(presenceTopic, record.key().asKey(), codec.encode(record));
    }

    @Override
    public CompletableFuture<Void> leave(PresenceKey.Member key) {
        return send(presenceTopic, key.asKey(), null);
    }

    @Override
    public CompletableFuture<Void> publish(ChannelMessage message) {
        return send(messagesTopic, message.channel(), codec.encode(message));
    }

    /** This node's sign of life, every third of its TTL (see {@link Heartbeat}). */
    CompletableFuture<Void> heartbeat(long now, long ttlMs) {
        NodeHeartbeat beat = new NodeHeartbeat(node, now, ttlMs);
        return send(presenceTopic, beat.key().asKey(), codec.encode(beat));
    }

    /** Tells the other nodes this one is leaving, so its clients leave presence at once. */
    CompletableFuture<Void> farewell() {
        return send(presenceTopic, new PresenceKey.Node(node).asKey(), null);
    }

    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (m, error) -> {
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

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops reading; call {@link #closeProducer()} after the last leaves are sent. */
    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }
}
