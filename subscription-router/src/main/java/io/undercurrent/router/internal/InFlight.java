package io.undercurrent.router.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Batches of deliveries sent but not yet acknowledged, oldest first, each with the change offsets it
 * covers. A batch's offsets may be committed only once it and every batch before it are
 * acknowledged, so the loop can read on while Kafka acknowledges without ever committing past an
 * unsent delivery. Thread-confined to the router loop.
 */
final class InFlight {

    private record Batch(Map<TopicPartition, OffsetAndMetadata> offsets, List<Future<RecordMetadata>> sends) {
        boolean done() {
            return sends.stream().allMatch(Future::isDone);
        }
    }

    /** A delivery Kafka refused; the loop must go back to the last acknowledged offsets. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetAndMetadata> acknowledged = new HashMap<>();

    void add(Map<TopicPartition, OffsetAndMetadata> offsets, List<Future<RecordMetadata>> sends) {
        batches.add(new Batch(offsets, sends));
    }

    int size() {
        return batches.size();
    }

    /**
     * Takes the acknowledged batches from the head of the queue.
     *
     * @return the offsets that became committable, empty when none did
     * @throws Failed when a delivery of an acknowledged-or-failed head batch failed
     */
    Map<TopicPartition, OffsetAndMetadata> completed() throws Failed {
        Map<TopicPartition, OffsetAndMetadata> ready = new HashMap<>();
        while (!batches.isEmpty() && batches.peek().done()) {
            Batch batch = batches.poll();
            for (Future<RecordMetadata> send : batch.sends()) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    batches.clear();
                    throw new Failed(
                            "Kafka did not take a delivery: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Failed("interrupted", e);
                }
            }
            ready.putAll(batch.offsets());
        }
        acknowledged.putAll(ready);
        return ready;
    }

    /** The offset to resume a partition from after a failure: its last acknowledged one, or null. */
    OffsetAndMetadata acknowledged(TopicPartition tp) {
        return acknowledged.get(tp);
    }

    void forget(java.util.Collection<TopicPartition> partitions) {
        partitions.forEach(acknowledged::remove);
    }

    void clear() {
        batches.clear();
    }
}
