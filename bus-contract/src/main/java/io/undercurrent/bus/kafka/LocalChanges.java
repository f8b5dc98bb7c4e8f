package io.undercurrent.bus.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A router in ingest's own process, taking each change record the moment Kafka acknowledged it to
 * ingest's producer, at the offset Kafka gave it, instead of waiting for its consumer to fetch the
 * record back. The router implements it; ingest calls it; the server hands the one to the other when
 * one process runs both roles.
 *
 * <p>The change is in Kafka before the router sees it either way (its offset is a client's resume
 * position). The router still reads the change topics, which stay the source of truth: it routes an
 * offered record only when its offset is the next one the router would have read of a partition it
 * owns, and drops what its consumer later returns below that. So an offered record is never routed
 * twice and none is skipped; a record offered and dropped (the router's buffer full, a partition it
 * does not own) is simply read from Kafka, a little later.
 *
 * <p>Called on the producer's I/O thread, for every record of a change topic (watermarks too) that
 * Kafka acknowledged; never for one it refused.
 */
@FunctionalInterface
public interface LocalChanges {

    /** No router in this process: nothing is offered. */
    LocalChanges NONE = (record, metadata) -> {};

    /**
     * Takes the record, or drops it, at once: it never blocks and never throws (it runs on the producer's
     * I/O thread, which every other send of that producer waits on).
     *
     * @param record   as sent: key, value and headers are those the consumer would read
     * @param metadata Kafka's acknowledgement: topic, partition, offset and timestamp of the record
     */
    void offer(ProducerRecord<byte[], byte[]> record, RecordMetadata metadata);
}
