package io.undercurrent.router.internal;

import io.undercurrent.bus.kafka.LocalDeliveries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends a turn's deliveries: those addressed to the edge in this process ({@link LocalDeliveries})
 * straight to it, every other one through Kafka. Before the first local hand-off, after the router's
 * partitions changed, and after records for the local edge went through Kafka because it held too
 * many, a fence goes through Kafka first (see {@link LocalDeliveries}): so a local record never
 * overtakes one another router, or this one, wrote to the edge's topic before. The fence's
 * acknowledgement is one of the turn's, so change offsets are committed only once it is in Kafka.
 * Router loop thread only.
 */
final class LocalHandOff {

    /** Kafka's side: sends one record, calling back (on Kafka's IO thread) once it is acknowledged or failed. */
    interface Kafka {
        Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback);
    }

    private final LocalDeliveries local;
    private final Kafka kafka;
    private final AtomicLong handed;
    /** A fence must go through Kafka before the next local hand-off; set from Kafka's IO thread when one failed. */
    private volatile boolean fenceNeeded = true;

    /**
     * @param kafka  sends one record through Kafka; the future fails when Kafka does not take it
     * @param handed counts records handed to the local edge
     */
    LocalHandOff(LocalDeliveries local, Kafka kafka, AtomicLong handed) {
        this.local = local;
        this.kafka = kafka;
        this.handed = handed;
    }

    /** The router's partitions changed: what their previous router wrote through Kafka comes first. */
    void partitionsChanged() {
        fenceNeeded = true;
    }

    /** Sends the records; one future per record sent through Kafka, one for what the local edge took. */
    List<Future<RecordMetadata>> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        String topic = local.topic();
        List<ProducerRecord<byte[], byte[]>> mine = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            if (topic != null && topic.equals(record.topic())) {
                mine.add(record);
            } else {
                sent.add(throughKafka(record));
            }
        }
        if (!mine.isEmpty()) {
            handOver(mine, sent);
        }
        return sent;
    }

    private void handOver(List<ProducerRecord<byte[], byte[]>> mine, List<Future<RecordMetadata>> sent) {
        if (fenceNeeded && local.hasRoom(mine.size())) {
            // Cleared before the send: a fence Kafka refuses is made again before the next hand-off (the
            // turn fails anyway, since the fence's future is one of its acknowledgements).
            fenceNeeded = false;
            try {
                sent.add(kafka.send(local.fence(), (metadata, error) -> {
                    if (error != null) {
                        fenceNeeded = true;
                    }
                }));
            } catch (RuntimeException e) {
                fenceNeeded = true;
                throw e;
            }
        }
        if (!fenceNeeded && local.offer(mine)) {
            handed.addAndGet(mine.size());
            for (ProducerRecord<byte[], byte[]> record : mine) {
                Callback stage = DeliveryStages.acknowledged(record);
                if (stage != null) {
                    stage.onCompletion(null, null);
                }
            }
            sent.add(CompletableFuture.completedFuture(null));
            return;
        }
        // The edge holds too many records: these go through Kafka, and a fence must follow them.
        fenceNeeded = true;
        for (ProducerRecord<byte[], byte[]> record : mine) {
            sent.add(throughKafka(record));
        }
    }

    private Future<RecordMetadata> throughKafka(ProducerRecord<byte[], byte[]> record) {
        return kafka.send(record, DeliveryStages.acknowledged(record));
    }
}
