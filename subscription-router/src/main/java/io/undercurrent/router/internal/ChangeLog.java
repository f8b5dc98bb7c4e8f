package io.undercurrent.router.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The change topics, read as a member of the routers' group. Loop thread only, except {@link #wakeup()}
 * and {@link #interruptPoll()}.
 */
interface ChangeLog {

    /** Joins the group for every change topic; {@code ownership} hears of partitions given and taken, from within {@link #poll}. */
    void subscribe(Ownership ownership);

    /** The next changes of the owned partitions; may first call the ownership back, as Kafka does. */
    List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout);

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    /** Reads {@code partition} from {@code offset} next; from its start when {@code offset} is null. */
    void seek(TopicPartition partition, OffsetAndMetadata offset);

    /**
     * Changes on the owned partitions not yet read, summed, as of the last {@link #poll} (no call to
     * the cluster); -1 while unknown (nothing fetched yet for some owned partition).
     */
    default long lag() {
        return -1;
    }

    /** The offset of the next change {@link #poll} returns from an owned partition. */
    long position(TopicPartition partition);

    /** The number of partitions of a change topic, or 0 when it does not exist. */
    int partitionCount(String topic);

    /** Makes a blocked {@link #poll} throw {@code WakeupException}, to stop the loop; any thread. */
    void wakeup();

    /**
     * Makes a blocked {@link #poll} return early, possibly empty, and nothing else: the loop carries on.
     * Any thread, never blocks (a producer's I/O thread calls it for a change offered in this process).
     */
    default void interruptPoll() {}

    /** Partitions given to and taken from this router. */
    interface Ownership {
        void revoked(Collection<TopicPartition> partitions);

        void assigned(Collection<TopicPartition> partitions);

        /** Taken without a handover (this router was taken for dead): nothing may be committed for them. */
        void lost(Collection<TopicPartition> partitions);
    }
}
