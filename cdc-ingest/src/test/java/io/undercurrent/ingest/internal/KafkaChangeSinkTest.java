package io.undercurrent.ingest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.Operation;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.Watermark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's ordering promise when a send fails: nothing published after the failure reaches Kafka,
 * so a source replay can never land behind a later change. Kafka's own MockProducer stands in for
 * the broker: what matters here is which records the sink hands to its producer, and when.
 */
class KafkaChangeSinkTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, new OnePartition(), new ByteArraySerializer(), new ByteArraySerializer());
    private final KafkaChangeSink sink = new KafkaChangeSink(producer, "changes", "markers");

    @Test
    void aFailedSendStopsTheSinkSoNothingLaterIsWritten() {
        CompletableFuture<Void> first = sink.publish(insert(1));
        CompletableFuture<Void> second = sink.publish(insert(2));
        assertEquals(2, producer.history().size());

        producer.errorNext(new TimeoutException("expired before the broker acknowledged it"));

        assertTrue(first.isCompletedExceptionally());
        assertTrue(producer.closed(), "the producer is closed at once, which aborts what waits behind the failed send");
        CompletableFuture<Void> third = sink.publish(insert(3));
        assertTrue(third.isCompletedExceptionally(), "a publish after the failure fails without reaching Kafka");
        assertEquals(2, producer.history().size());
        // The second send was already handed over; the real producer's zero-timeout close aborts it.
        assertTrue(!second.isDone() || second.isCompletedExceptionally());
    }

    @Test
    void acknowledgedSendsComplete() {
        CompletableFuture<Void> first = sink.publish(insert(1));
        producer.completeNext();
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        assertTrue(!producer.closed());
    }

    @Test
    void aWatermarkGoesToEveryPartitionOfTheChangeTopicWithItsHeaderAndNoKey() {
        Node broker = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = List.of(0, 1, 2).stream()
                .map(p -> new PartitionInfo("changes", p, broker, new Node[] {broker}, new Node[] {broker}))
                .toList();
        MockProducer<byte[], byte[]> three = new MockProducer<>(
                new Cluster("c", List.of(broker), partitions, Set.of(), Set.of()),
                true,
                new OnePartition(),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaChangeSink watermarked = new KafkaChangeSink(three, "changes", "markers");

        CompletableFuture<Void> done = watermarked.publishWatermark(new Watermark("db", "731:735:733", 0L));

        assertTrue(done.isDone() && !done.isCompletedExceptionally());
        assertEquals(
                List.of(0, 1, 2),
                three.history().stream().map(ProducerRecord::partition).toList());
        for (ProducerRecord<byte[], byte[]> record : three.history()) {
            assertNull(record.key());
            assertNotNull(record.headers().lastHeader(Watermark.HEADER));
            assertEquals(
                    "731:735:733",
                    new ChangeEventCodec().decodeWatermark(record.value()).point());
        }
    }

    @Test
    void eachChangeRecordKafkaAcknowledgedIsOfferedToALocalRouterAtItsOffsetAndNoMarkerOrRefusedOne() {
        List<String> offered = new ArrayList<>();
        KafkaChangeSink tapped = new KafkaChangeSink(
                producer,
                "changes",
                "markers",
                (record, metadata) -> offered.add(metadata.topic() + "-" + metadata.partition() + "@"
                        + metadata.offset() + ":" + (record.value() == null ? 0 : record.value().length)));

        CompletableFuture<Void> first = tapped.publish(insert(1));
        tapped.publishMarker(new TransactionMarker(ChangeEvent.CURRENT_VERSION, "db", "tx1", 1, Map.of(), 0L));
        CompletableFuture<Void> second = tapped.publish(insert(2));
        assertTrue(offered.isEmpty(), "nothing before Kafka acknowledged it");
        producer.completeNext();
        producer.completeNext();
        producer.completeNext();
        assertTrue(first.isDone() && second.isDone());
        assertEquals(2, offered.size(), offered.toString());
        assertTrue(offered.get(0).startsWith("changes-0@0:"), offered.toString());
        assertTrue(offered.get(1).startsWith("changes-0@1:"), offered.toString());

        tapped.publish(insert(3));
        producer.errorNext(new TimeoutException("expired before the broker acknowledged it"));
        assertEquals(2, offered.size(), "a refused record is never offered");
    }

    /** Every record to partition 0: the sink never chooses a partition itself. */
    private static final class OnePartition implements Partitioner {
        @Override
        public int partition(
                String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return 0;
        }

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    private static ChangeEvent insert(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        return new ChangeEvent(
                ChangeEvent.CURRENT_VERSION,
                "db",
                "public.todos",
                Operation.INSERT,
                Map.of("id", id),
                null,
                row,
                null,
                "lsn:" + id,
                "tx" + id,
                0L,
                0L);
    }
}
