package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a range of a change topic with a consumer of its own, outside any group, for one resume. A
 * resume is rare next to live traffic, so a short-lived consumer costs less than a shared one that
 * every resume would have to wait for.
 */
final class KafkaChangeHistory implements ChangeHistory {

    /** Longest one read may wait on the cluster without progress (internal timing, not tuning). */
    private static final Duration STALL = Duration.ofSeconds(15);

    private final EdgeSettings settings;

    KafkaChangeHistory(EdgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void read(String source, int partition, long from, long to, Consumer<ConsumerRecord<byte[], byte[]>> each)
            throws NotResumableException {
        if (from >= to) {
            return;
        }
        Map<String, Object> config = EdgeBus.consumerConfig(settings);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-edge-" + settings.edgeId() + "-resume");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        TopicPartition tp = new TopicPartition(settings.topics().changes(source), partition);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            long start = consumer.beginningOffsets(List.of(tp), STALL).get(tp);
            if (from < start) {
                throw new NotResumableException("the changes since the position are no longer kept");
            }
            consumer.seek(tp, from);
            long position = from;
            long lastProgress = System.nanoTime();
            while (position < to) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= to) {
                        return;
                    }
                    each.accept(record);
                }
                long now = consumer.position(tp, STALL);
                if (now > position) {
                    position = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("reading " + tp + " from " + from + " to " + to
                            + " made no progress for " + STALL.toSeconds() + " s; is Kafka reachable?");
                }
            }
        } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
            throw new NotResumableException("the changes since the position are no longer kept");
        }
    }
}
