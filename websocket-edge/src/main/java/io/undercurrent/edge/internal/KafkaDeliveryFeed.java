package io.undercurrent.edge.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** This edge's delivery topic (one partition) through a Kafka consumer outside any group. */
final class KafkaDeliveryFeed implements DeliveryFeed {

    /** How long positioning may block on the cluster (internal timing, not tuning). */
    private static final Duration POSITION = Duration.ofSeconds(15);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;

    KafkaDeliveryFeed(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
    }

    @Override
    public boolean open(OptionalLong from) {
        List<TopicPartition> tp = List.of(partition);
        consumer.assign(tp);
        if (from.isPresent()) {
            long start = consumer.beginningOffsets(tp, POSITION).get(partition);
            long end = consumer.endOffsets(tp, POSITION).get(partition);
            if (from.getAsLong() >= start && from.getAsLong() <= end) {
                consumer.seek(partition, from.getAsLong());
                consumer.position(partition, POSITION);
                return true;
            }
        }
        consumer.seekToEnd(tp);
        consumer.position(partition, POSITION);
        return from.isEmpty();
    }

    @Override
    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        consumer.poll(timeout).forEach(out::add);
        return out;
    }

    @Override
    public long position() {
        return consumer.position(partition, POSITION);
    }

    @Override
    public long lag() {
        return consumer.currentLag(partition).orElse(-1);
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
