package io.undercurrent.router.internal;

import io.undercurrent.bus.kafka.LocalChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * The router's side of {@link LocalChanges}: the change records ingest in this process had
 * acknowledged, held until the router's thread takes them ({@link TappedChanges}). Bounded in records
 * and bytes; an offer beyond that, or for a partition the router does not route, is dropped, which
 * costs nothing but the wait for the router's consumer to read it.
 *
 * <p>Thread-safe: producers' I/O threads offer, the router thread drains. An offer wakes the router
 * thread only while it is parked in its consumer's poll.
 */
public final class ChangeInbox implements LocalChanges {

    /** Records held at most (internal sizing: seconds of a busy source's changes). */
    static final int CAPACITY = 4096;

    /** Bytes held at most: change records can be large, so the count alone would be the looser bound. */
    static final long MAX_BYTES = 16L << 20;

    private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> records = new ConcurrentLinkedQueue<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong used = new AtomicLong();
    /** The partitions the router routes now; offers for others are dropped at once. */
    private volatile Set<TopicPartition> accepting = Set.of();

    private volatile Runnable wake = () -> {};

    public ChangeInbox() {}

    @Override
    public void offer(ProducerRecord<byte[], byte[]> record, RecordMetadata metadata) {
        if (!metadata.hasOffset()) {
            return;
        }
        TopicPartition tp = new TopicPartition(metadata.topic(), metadata.partition());
        if (!accepting.contains(tp)) {
            return;
        }
        long bytes = size(record.key()) + size(record.value());
        if (held.incrementAndGet() > CAPACITY) {
            held.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        if (heldBytes.addAndGet(bytes) > MAX_BYTES) {
            heldBytes.addAndGet(-bytes);
            held.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        records.add(new ConsumerRecord<>(
                metadata.topic(),
                metadata.partition(),
                metadata.offset(),
                metadata.timestamp(),
                TimestampType.CREATE_TIME,
                metadata.serializedKeySize(),
                metadata.serializedValueSize(),
                record.key(),
                record.value(),
                record.headers(),
                Optional.empty()));
        if (parked.compareAndSet(true, false)) {
            wake.run();
        }
    }

    /**
     * The router's Kafka opened: {@code wake} makes its blocked poll return (called on a producer's I/O
     * thread, must not block).
     */
    void attach(Runnable wake) {
        this.wake = wake;
    }

    /** The router's Kafka closed: nothing is accepted until it routes partitions again. */
    void detach() {
        accepting = Set.of();
        wake = () -> {};
        // Nothing to keep: the next run's consumer reads them all from the committed offsets.
        drainTo(new ArrayList<>());
    }

    /** The partitions routed from now on; router thread. */
    void accept(Set<TopicPartition> partitions) {
        accepting = Set.copyOf(partitions);
    }

    /** Moves every record offered so far to {@code out}, in the order offered. Router thread only. */
    void drainTo(List<ConsumerRecord<byte[], byte[]>> out) {
        ConsumerRecord<byte[], byte[]> record;
        while ((record = records.poll()) != null) {
            out.add(record);
            held.decrementAndGet();
            heldBytes.addAndGet(-(size(record.key()) + size(record.value())));
        }
    }

    /**
     * The router thread is about to block in its consumer's poll: an offer from now on wakes it.
     *
     * @return false when records wait already: poll without waiting
     */
    boolean park() {
        parked.set(true);
        if (!records.isEmpty()) {
            parked.set(false);
            return false;
        }
        return true;
    }

    /** The router thread's poll returned. */
    void unpark() {
        parked.set(false);
    }

    /** Counts records the router routed from here. */
    void used(int count) {
        used.addAndGet(count);
    }

    /** Records routed from here instead of from the consumer, since start. */
    long used() {
        return used.get();
    }

    /** Records offered for a routed partition and dropped because the inbox was full, since start. */
    long dropped() {
        return dropped.get();
    }

    private static long size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
