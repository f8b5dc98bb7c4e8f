package io.undercurrent.edge.internal;

import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The change topics, read back for one resume. Thread-safe: each call reads on its own. */
interface ChangeHistory {

    /**
     * Hands every change of one partition of a source's change topic from offset {@code from}
     * (inclusive) to {@code to} (exclusive) to {@code each}, in offset order.
     *
     * @throws NotResumableException when changes of that range are no longer kept
     */
    void read(String source, int partition, long from, long to, Consumer<ConsumerRecord<byte[], byte[]>> each)
            throws NotResumableException;
}
