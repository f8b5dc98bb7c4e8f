package io.undercurrent.router.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The change topics read through the router's consumer and, ahead of it, through the records ingest in
 * this process had acknowledged ({@link ChangeInbox}). Per owned partition it knows {@code next}, one
 * past the last offset it returned. An offered record is returned only when its offset is {@code next}
 * (one offered ahead of it waits, bounded, until the consumer filled the gap); the consumer's records
 * below {@code next} are dropped before anyone decodes them. So no offset is skipped and none returned
 * twice, whichever path brought it, and {@link #position} is where routing really stands.
 *
 * <p>Loop thread only, like the change log it wraps.
 */
final class TappedChanges implements ChangeLog {

    /** Offered records held ahead of a gap, at most (internal sizing); beyond, the consumer brings them. */
    static final int MAX_AHEAD = 1024;

    /**
     * Bytes of offered records held ahead of a gap, at most: the inbox's own byte bound is freed as
     * records move here, so this one bounds what waits (change records can be large).
     */
    static final long MAX_AHEAD_BYTES = 16L << 20;

    /** Most offered records one poll returns, like the consumer's {@code max.poll.records}. */
    static final int MAX_POLL = 500;

    private final ChangeLog consumer;
    private final ChangeInbox inbox;
    private final Set<TopicPartition> owned = new HashSet<>();
    /** One past the last offset returned, per owned partition; absent until known (after assignment or a seek). */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Offered records not yet returned, per owned partition, by offset. */
    private final Map<TopicPartition, TreeMap<Long, ConsumerRecord<byte[], byte[]>>> waiting = new HashMap<>();

    private int ahead;
    private long aheadBytes;

    /**
     * @param consumer the change topics as the router's consumer reads them
     * @param inbox    what ingest in this process offers
     */
    TappedChanges(ChangeLog consumer, ChangeInbox inbox) {
        this.consumer = consumer;
        this.inbox = inbox;
    }

    @Override
    public void subscribe(Ownership ownership) {
        inbox.attach(consumer::interruptPoll);
        consumer.subscribe(new Ownership() {
            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                inbox.unpark(); // the callback's own calls to the consumer need no wake-up
                forget(partitions);
                ownership.revoked(partitions);
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                inbox.unpark();
                for (TopicPartition tp : partitions) {
                    reset(tp);
                }
                owned.addAll(partitions);
                inbox.accept(owned);
                ownership.assigned(partitions);
            }

            @Override
            public void lost(Collection<TopicPartition> partitions) {
                inbox.unpark();
                forget(partitions);
                ownership.lost(partitions);
            }
        });
    }

    /**
     * The consumer's records at or past {@code next}, then the offered ones that continue them. Blocks
     * in the consumer only while nothing offered can be returned; an offer ends that wait early.
     */
    @Override
    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        take();
        List<ConsumerRecord<byte[], byte[]>> fetched;
        if (!anyReady() && inbox.park()) {
            try {
                fetched = consumer.poll(timeout);
            } finally {
                inbox.unpark();
            }
        } else {
            // Still polled, so the group membership and the fetches go on.
            fetched = consumer.poll(Duration.ZERO);
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(fetched.size());
        for (ConsumerRecord<byte[], byte[]> record : fetched) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            Long n = next.get(tp);
            if (n == null || record.offset() >= n) {
                // Past next only where the log itself has no records between (retention, compaction).
                next.put(tp, record.offset() + 1);
                out.add(record);
            }
        }
        take();
        int used = 0;
        for (Map.Entry<TopicPartition, TreeMap<Long, ConsumerRecord<byte[], byte[]>>> e : waiting.entrySet()) {
            TopicPartition tp = e.getKey();
            TreeMap<Long, ConsumerRecord<byte[], byte[]>> records = e.getValue();
            long n = nextOf(tp);
            dropBelow(records, n);
            ConsumerRecord<byte[], byte[]> first;
            while (used < MAX_POLL
                    && !records.isEmpty()
                    && (first = records.firstEntry().getValue()).offset() == n) {
                records.pollFirstEntry();
                held(first, -1);
                out.add(first);
                used++;
                n++;
            }
            next.put(tp, n);
        }
        inbox.used(used);
        return out;
    }

    /** Moves what was offered into {@link #waiting}, dropping what is not owned or not ahead of next. */
    private void take() {
        List<ConsumerRecord<byte[], byte[]>> offered = new ArrayList<>();
        inbox.drainTo(offered);
        for (ConsumerRecord<byte[], byte[]> record : offered) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (!owned.contains(tp)
                    || record.offset() < nextOf(tp)
                    || ahead >= MAX_AHEAD
                    || aheadBytes + size(record) > MAX_AHEAD_BYTES) {
                continue;
            }
            if (waiting.computeIfAbsent(tp, p -> new TreeMap<>()).putIfAbsent(record.offset(), record) == null) {
                held(record, 1);
            }
        }
    }

    private boolean anyReady() {
        for (Map.Entry<TopicPartition, TreeMap<Long, ConsumerRecord<byte[], byte[]>>> e : waiting.entrySet()) {
            if (!e.getValue().isEmpty() && e.getValue().firstKey() == nextOf(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** {@code next} of an owned partition, asking the consumer where it stands when not known yet. */
    private long nextOf(TopicPartition tp) {
        Long n = next.get(tp);
        if (n == null) {
            n = consumer.position(tp);
            next.put(tp, n);
        }
        return n;
    }

    private void dropBelow(TreeMap<Long, ConsumerRecord<byte[], byte[]>> records, long n) {
        Iterator<ConsumerRecord<byte[], byte[]>> below =
                records.headMap(n).values().iterator();
        while (below.hasNext()) {
            held(below.next(), -1);
            below.remove();
        }
    }

    /** Counts {@code record} into ({@code sign} 1) or out of (-1) what waits. */
    private void held(ConsumerRecord<byte[], byte[]> record, int sign) {
        ahead += sign;
        aheadBytes += sign * size(record);
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    }

    /** Forgets where {@code tp} stands: the consumer says it again. */
    private void reset(TopicPartition tp) {
        next.remove(tp);
        TreeMap<Long, ConsumerRecord<byte[], byte[]>> records = waiting.remove(tp);
        if (records != null) {
            records.values().forEach(record -> held(record, -1));
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        inbox.accept(owned);
        partitions.forEach(this::reset);
    }

    /** One past the last offset returned of {@code partition}: where a subscription added now is judged from. */
    @Override
    public long position(TopicPartition partition) {
        return owned.contains(partition) ? nextOf(partition) : consumer.position(partition);
    }

    @Override
    public void seek(TopicPartition partition, OffsetAndMetadata offset) {
        consumer.seek(partition, offset);
        reset(partition);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        consumer.commitAsync(offsets);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        consumer.commitSync(offsets);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return consumer.committed(partitions);
    }

    /** The consumer's lag: what it has not read, though the offered records may have been routed already. */
    @Override
    public long lag() {
        return consumer.lag();
    }

    @Override
    public int partitionCount(String topic) {
        return consumer.partitionCount(topic);
    }

    @Override
    public void interruptPoll() {
        consumer.interruptPoll();
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    /** Nothing is offered any more: the router's Kafka closed. */
    void close() {
        inbox.detach();
    }
}
