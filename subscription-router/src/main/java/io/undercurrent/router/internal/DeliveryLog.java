package io.undercurrent.router.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Deliveries and acknowledgements to edges' topics. Loop thread only. */
interface DeliveryLog {

    /** Sends asynchronously; the future fails when Kafka does not take the record. */
    Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record);

    /**
     * Sends a turn's records; the futures fail when a record was not taken. Records for an edge in this
     * process may go to it directly, several under one future ({@link LocalHandOff}).
     */
    default List<Future<RecordMetadata>> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            sent.add(send(record));
        }
        return sent;
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    void flush();
}
