package io.undercurrent.edge.internal;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * This edge's delivery topic, for one span from opening to failure: {@link KafkaDeliveryFeed}, or an
 * in-memory fake in tests. Delivery thread only, except {@link #wakeup()}.
 */
interface DeliveryFeed extends AutoCloseable {

    /**
     * Positions the feed: at {@code from} when given and still retained, else at the end (what was
     * written before belongs to no open connection, or was lost). Returns once positioned, so nothing
     * published after the call is missed.
     *
     * @return false when {@code from} was given but could not be resumed (retention passed it)
     */
    boolean open(OptionalLong from);

    List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout);

    /** The offset of the next record to read. */
    long position();

    /**
     * Deliveries written to the topic and not yet read, as of the last {@link #poll} (no call to the
     * cluster); -1 while unknown (before the first fetch).
     */
    default long lag() {
        return -1;
    }

    /** Makes a blocked {@link #poll} throw {@code WakeupException}; any thread. */
    void wakeup();

    @Override
    void close();
}
