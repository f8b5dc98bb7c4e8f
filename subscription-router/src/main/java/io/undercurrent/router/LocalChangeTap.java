package io.undercurrent.router;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.router.internal.ChangeInbox;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where ingest in the router's process offers the change records Kafka just acknowledged to it, so
 * the router routes them at once instead of when its consumer has fetched them back (see
 * {@link LocalChanges} for why that is exact). Made by whoever runs both roles, given to ingest as its
 * {@link LocalChanges} and to the {@link Router}; ingest may offer before the router starts (such
 * records are dropped).
 *
 * <p>Thread-safe; {@link #offer} never blocks: it holds a bounded number of records and bytes and
 * drops what does not fit, which the router's consumer then reads as it would without the tap.
 */
public final class LocalChangeTap implements LocalChanges {

    private final ChangeInbox inbox = new ChangeInbox();

    @Override
    public void offer(ProducerRecord<byte[], byte[]> record, RecordMetadata metadata) {
        inbox.offer(record, metadata);
    }

    ChangeInbox inbox() {
        return inbox;
    }
}
