package io.undercurrent.ingest.testing;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads a change topic (or a transaction marker topic) from its beginning, in the test's thread:
 * every {@code await...} call polls until the condition holds or the timeout passes.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final String topic;

    public TopicReader(String bootstrap, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Reads what has arrived; subscribes on the first call once the topic exists. */
    public void poll() {
        if (consumer.assignment().isEmpty()) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            List<TopicPartition> all = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    /** The changes read so far (watermarks left out). */
    public List<ChangeEvent> changes() {
        return records.stream()
                .filter(r -> !isWatermark(r))
                .map(r -> codec.decode(r.value()))
                .toList();
    }

    /** The changes read so far, per partition, each in offset order (watermarks left out). */
    public Map<Integer, List<ChangeEvent>> changesByPartition() {
        Map<Integer, List<ChangeEvent>> out = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!isWatermark(r)) {
                out.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(codec.decode(r.value()));
            }
        }
        return out;
    }

    /** Every record read so far per partition, in offset order: {@link ChangeEvent}s and {@link Watermark}s. */
    public Map<Integer, List<Object>> recordsByPartition() {
        Map<Integer, List<Object>> out = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                    .add(isWatermark(r) ? codec.decodeWatermark(r.value()) : codec.decode(r.value()));
        }
        return out;
    }

    /** Polls until the records read so far satisfy {@code condition}. */
    public void awaitRecords(Duration timeout, Predicate<Map<Integer, List<Object>>> condition) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            poll();
            return condition.test(recordsByPartition());
        });
    }

    private static boolean isWatermark(ConsumerRecord<byte[], byte[]> r) {
        return r.headers().lastHeader(Watermark.HEADER) != null;
    }

    public List<TransactionMarker> markers() {
        return records.stream().map(r -> codec.decodeMarker(r.value())).toList();
    }

    /** Polls until the changes read so far satisfy {@code condition}; returns them. */
    public List<ChangeEvent> awaitChanges(Duration timeout, Predicate<List<ChangeEvent>> condition) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            poll();
            return condition.test(changes());
        });
        return changes();
    }

    /** Polls until at least {@code count} changes were read; returns them. */
    public List<ChangeEvent> awaitChanges(int count, Duration timeout) {
        return awaitChanges(timeout, list -> list.size() >= count);
    }

    public List<TransactionMarker> awaitMarkers(int count, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            poll();
            return records.size() >= count;
        });
        return markers();
    }

    /** Polls for up to {@code wait} and returns what was read so far, possibly nothing. */
    public List<ChangeEvent> awaitChangesOrEmpty(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (changes().isEmpty() && System.nanoTime() < deadline) {
            poll();
        }
        return changes();
    }

    /** Polls until a marker matches; returns it. */
    public TransactionMarker awaitMarkersMatching(Duration timeout, Predicate<TransactionMarker> condition) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            poll();
            return markers().stream().anyMatch(condition);
        });
        return markers().stream().filter(condition).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
