package io.undercurrent.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures commit → Kafka latency: the writer notes when each row's commit returned, a consumer
 * notes when the row's change is readable from the topic, and the difference goes into a histogram.
 */
final class LatencyProbe implements AutoCloseable {

    private final Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    private final Histogram histogram = new Histogram(60_000_000L, 3);
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private volatile boolean running = true;

    /** Reads {@code topic} from its end; a record's row id is {@code after.id} in both JSON forms. */
    LatencyProbe(String bootstrap, String topic) {
        thread.execute(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        Long id = id(record.value());
                        Long start = id == null ? null : committedAt.remove(id);
                        if (start != null) {
                            synchronized (histogram) {
                                histogram.recordValue((now - start) / 1_000);
                            }
                        }
                    }
                }
            }
        });
    }

    private Long id(byte[] value) {
        try {
            JsonNode after = json.readTree(value).path("after");
            return after.has("id") ? after.get("id").asLong() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    void committed(long id, long nanoTime) {
        committedAt.put(id, nanoTime);
    }

    long measured() {
        synchronized (histogram) {
            return histogram.getTotalCount();
        }
    }

    String summary() {
        synchronized (histogram) {
            return String.format(
                    "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d changes)",
                    histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0,
                    histogram.getTotalCount());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.shutdown();
        thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
