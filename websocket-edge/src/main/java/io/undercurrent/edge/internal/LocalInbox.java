package io.undercurrent.edge.internal;

import io.undercurrent.bus.kafka.LocalDeliveries;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * This edge's side of {@link LocalDeliveries}: the records a router in this process hands over, held
 * until the delivery thread dispatches them ({@link DeliveryLoop}), so dispatching stays on that one
 * thread. Bounded: it holds at most {@link #CAPACITY} records; beyond that {@link #offer} refuses and
 * the router sends through Kafka, so a slow edge never makes the router, or this queue, grow.
 *
 * <p>Each batch waits for the fence made last before it was offered: it is dispatched only once the
 * delivery thread has read that fence from the topic ({@link #fenceRead}). Fences carry this run's
 * nonce, so a fence left on the topic by an earlier run of the same edge means nothing.
 *
 * <p>Thread-safe: one router thread offers, the delivery thread drains.
 */
public final class LocalInbox implements LocalDeliveries {

    /** Records held at most, not yet dispatched (internal sizing: several seconds of a busy edge's deliveries). */
    static final int CAPACITY = 8192;

    /**
     * Bytes held at most: deliveries to many differently masked subscribers are large, and the Kafka
     * path bounds bytes too (the producer's buffer), so the count alone would be the looser bound.
     */
    static final long MAX_BYTES = 32L << 20;

    private record Batch(List<ConsumerRecord<byte[], byte[]>> records, long fence, long bytes) {}

    private final String topic;
    private final String nonce = HexFormat.of().formatHex(randomBytes());
    private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicLong taken = new AtomicLong();
    /** The highest fence of this run the delivery thread read; written by it only. */
    private volatile long read;

    private volatile boolean open;
    private volatile Runnable wake = () -> {};

    /** @param topic this edge's delivery topic */
    public LocalInbox(String topic) {
        this.topic = topic;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public boolean hasRoom(int records) {
        return !open || (held.get() + records <= CAPACITY && heldBytes.get() < MAX_BYTES);
    }

    @Override
    public ProducerRecord<byte[], byte[]> fence() {
        long id = issued.incrementAndGet();
        RecordHeaders headers = new RecordHeaders();
        headers.add(FENCE_HEADER, (nonce + ":" + id).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, null, null, new byte[0], headers);
    }

    @Override
    public boolean offer(List<ProducerRecord<byte[], byte[]>> records) {
        if (!open) {
            return true; // like the topic of an edge that is not reading: nobody would see them
        }
        if (!hasRoom(records.size())) {
            return false;
        }
        long bytes = 0;
        for (ProducerRecord<byte[], byte[]> r : records) {
            bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        }
        if (heldBytes.get() + bytes > MAX_BYTES) {
            return false;
        }
        List<ConsumerRecord<byte[], byte[]>> converted = new java.util.ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            // No offset: a handed record has none, and the delivery thread's resume point is Kafka's alone.
            converted.add(new ConsumerRecord<>(topic, 0, -1L, r.key(), r.value()));
        }
        held.addAndGet(converted.size());
        heldBytes.addAndGet(bytes);
        batches.add(new Batch(converted, issued.get(), bytes));
        taken.addAndGet(converted.size());
        if (parked.compareAndSet(true, false)) {
            wake.run();
        }
        return true;
    }

    /**
     * The delivery thread positioned its feed: fences made before it began positioning lie before
     * where it reads, and will not be read; what they guard was before it too. From now on records
     * are held.
     *
     * @param issuedBefore {@link #issued()} taken before positioning began
     * @param wake         makes the delivery thread's blocked poll return (called from the router thread)
     */
    void open(long issuedBefore, Runnable wake) {
        this.wake = wake;
        passed(issuedBefore);
        open = true;
    }

    /** The fences made so far. */
    long issued() {
        return issued.get();
    }

    /** The edge stopped reading: held records are dropped, new ones too. */
    void close() {
        open = false;
        batches.clear();
        held.set(0);
        heldBytes.set(0);
    }

    /**
     * Called by the delivery thread for a record it read from Kafka.
     *
     * @return true when it is a fence (of any run), which is no delivery
     */
    boolean fenceRead(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(FENCE_HEADER);
        if (header == null) {
            return false;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        int colon = value.lastIndexOf(':');
        if (colon > 0 && value.substring(0, colon).equals(nonce)) {
            try {
                passed(Long.parseLong(value.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // not one of ours after all
            }
        }
        return true;
    }

    private void passed(long fence) {
        if (fence > read) {
            read = fence;
        }
    }

    /** Moves the batches whose fence was read, oldest first, to {@code out}. Delivery thread only. */
    void drainTo(List<ConsumerRecord<byte[], byte[]>> out) {
        Batch head;
        while ((head = batches.peek()) != null && head.fence() <= read) {
            batches.poll();
            out.addAll(head.records());
            held.addAndGet(-head.records().size());
            heldBytes.addAndGet(-head.bytes());
        }
    }

    /**
     * The delivery thread is about to block on Kafka: an offer from now on wakes it.
     *
     * @return false when a batch can be dispatched already: poll without waiting
     */
    boolean park() {
        parked.set(true);
        Batch head = batches.peek();
        if (head != null && head.fence() <= read) {
            parked.set(false);
            return false;
        }
        return true;
    }

    /** The delivery thread's poll returned. */
    void unpark() {
        parked.set(false);
    }

    /** Records handed over while the edge was reading, since start. */
    public long taken() {
        return taken.get();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
