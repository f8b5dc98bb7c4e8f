package io.undercurrent.router.internal;

import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Deliveries and acknowledgements to edges' topics. Loop thread only. */
interface DeliveryLog {

    /** Sends asynchronously; the future fails when Kafka does not take the record. */
    Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record);

    /** Waits until every record sent so far is acknowledged or failed. */
    void flush();
}
