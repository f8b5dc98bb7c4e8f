package io.undercurrent.router.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The router's Kafka in memory, for stepping {@link RouterLoop} in unit tests: a subscriptions log,
 * change partitions with ownership changes delivered from within {@code poll} (revoked before
 * assigned, as Kafka does), and a delivery log whose acknowledgements the test holds or fails.
 */
class FakeRouterBus implements RouterBus {

    final FakeSubscriptionLog subscriptions = new FakeSubscriptionLog();
    final FakeChangeLog changes = new FakeChangeLog();
    final FakeDeliveryLog deliveries = new FakeDeliveryLog();
    int opened;
    boolean closed;

    @Override
    public void open() {
        opened++;
        subscriptions.position = 0; // every open reads the subscriptions from their start
    }

    @Override
    public SubscriptionLog subscriptions() {
        return subscriptions;
    }

    @Override
    public ChangeLog changes() {
        return changes;
    }

    @Override
    public DeliveryLog deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        closed = true;
    }

    static final class FakeSubscriptionLog implements SubscriptionLog {
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        int position;

        void publish(byte[] key, byte[] value) {
            records.add(new ConsumerRecord<>("t.subscriptions", 0, records.size(), key, value));
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> readToEnd() {
            return pollNow();
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> pollNow() {
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(records.subList(position, records.size()));
            position = records.size();
            return out;
        }
    }

    static final class FakeChangeLog implements ChangeLog {
        private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> partitions = new HashMap<>();
        private final Map<TopicPartition, Long> positions = new HashMap<>();
        private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        private final Set<TopicPartition> owned = new LinkedHashSet<>();
        private final ArrayDeque<Runnable> ownershipChanges = new ArrayDeque<>();
        private final Map<String, Integer> partitionCounts = new TreeMap<>();
        private Ownership ownership;
        private Runnable beforeNextPoll;
        /** Most records one poll returns, so a test can see batches. */
        int maxPollRecords = 5;
        /** While true, polls return no records (ownership changes still happen): a consumer that did not fetch yet. */
        boolean fetchHeld;
        /** The timeout of every poll, in order. */
        final List<Duration> pollTimeouts = new ArrayList<>();
        /** Calls of {@link #interruptPoll()}. */
        int interrupts;

        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();
        final List<String> seeks = new ArrayList<>();

        void partitions(String topic, int count) {
            partitionCounts.put(topic, count);
        }

        long append(String topic, int partition, byte[] value) {
            List<ConsumerRecord<byte[], byte[]>> log =
                    partitions.computeIfAbsent(new TopicPartition(topic, partition), tp -> new ArrayList<>());
            log.add(new ConsumerRecord<>(topic, partition, log.size(), null, value));
            return log.size() - 1;
        }

        /** Appends a record carrying the watermark header, as ingest writes watermarks. */
        long appendWatermark(String topic, int partition, byte[] value) {
            long offset = append(topic, partition, value);
            partitions
                    .get(new TopicPartition(topic, partition))
                    .get((int) offset)
                    .headers()
                    .add(io.undercurrent.change.Watermark.HEADER, new byte[] {'1'});
            return offset;
        }

        /** The next poll gives these partitions to the router (after revocations queued before). */
        void assign(TopicPartition... tps) {
            ownershipChanges.add(() -> {
                List<TopicPartition> given = List.of(tps);
                owned.addAll(given);
                for (TopicPartition tp : given) {
                    OffsetAndMetadata c = committed.get(tp);
                    positions.put(tp, c == null ? 0 : c.offset());
                }
                ownership.assigned(given);
            });
        }

        /** The next poll takes these partitions away, with a handover. */
        void revoke(TopicPartition... tps) {
            ownershipChanges.add(() -> {
                List<TopicPartition> taken = List.of(tps);
                ownership.revoked(taken);
                owned.removeAll(taken);
            });
        }

        OffsetAndMetadata committedOffset(TopicPartition tp) {
            return committed.get(tp);
        }

        @Override
        public void subscribe(Ownership ownership) {
            this.ownership = ownership;
        }

        /** Runs {@code r} at the start of the next poll, before ownership changes: something that happens meanwhile. */
        void beforeNextPoll(Runnable r) {
            beforeNextPoll = r;
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            if (beforeNextPoll != null) {
                Runnable r = beforeNextPoll;
                beforeNextPoll = null;
                r.run();
            }
            pollTimeouts.add(timeout);
            while (!ownershipChanges.isEmpty()) {
                ownershipChanges.poll().run();
            }
            if (fetchHeld) {
                return List.of();
            }
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            for (TopicPartition tp : owned) {
                List<ConsumerRecord<byte[], byte[]>> log = partitions.getOrDefault(tp, List.of());
                long position = positions.getOrDefault(tp, 0L);
                while (position < log.size() && out.size() < maxPollRecords) {
                    out.add(log.get((int) position++));
                }
                positions.put(tp, position);
            }
            return out;
        }

        @Override
        public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commitSync(offsets);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(Map.copyOf(offsets));
            committed.putAll(offsets);
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> tps) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            tps.forEach(tp -> out.put(tp, committed.get(tp)));
            return out;
        }

        @Override
        public void seek(TopicPartition partition, OffsetAndMetadata offset) {
            long to = offset == null ? 0 : offset.offset();
            seeks.add(partition + "@" + to);
            positions.put(partition, to);
        }

        @Override
        public long position(TopicPartition partition) {
            return positions.getOrDefault(partition, 0L);
        }

        @Override
        public int partitionCount(String topic) {
            return partitionCounts.getOrDefault(topic, 0);
        }

        @Override
        public void wakeup() {}

        @Override
        public void interruptPoll() {
            interrupts++;
        }
    }

    static final class FakeDeliveryLog implements DeliveryLog {
        final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        private final List<CompletableFuture<RecordMetadata>> held = new ArrayList<>();
        private boolean holdAcks;
        private int failuresLeft;
        private RuntimeException failure;

        /** Acknowledgements wait for {@link #flush()} (or {@link #release()}). */
        void holdAcks() {
            holdAcks = true;
        }

        /** The next {@code n} sends fail with {@code e}. */
        void failNext(int n, RuntimeException e) {
            failuresLeft = n;
            failure = e;
        }

        /** Acknowledges everything held and stops holding. */
        void release() {
            holdAcks = false;
            flush();
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            sent.add(record);
            CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
            if (failuresLeft > 0) {
                failuresLeft--;
                ack.completeExceptionally(failure);
            } else if (holdAcks) {
                held.add(ack);
            } else {
                ack.complete(metadata(record));
            }
            return ack;
        }

        @Override
        public void flush() {
            held.forEach(ack -> ack.complete(new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0)));
            held.clear();
        }

        private static RecordMetadata metadata(ProducerRecord<byte[], byte[]> record) {
            return new RecordMetadata(new TopicPartition(record.topic(), 0), 0, 0, 0, 0, 0);
        }

        Collection<CompletableFuture<RecordMetadata>> held() {
            return held;
        }
    }
}
