package io.undercurrent.edge.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.change.trace.ChangeStage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each acknowledgement and delta read from this edge's delivery topic to its subscription
 * ({@link DeliveryLoop} reads them). Deltas of one batch are flushed per subscription at the end of
 * the batch, so the changes of one transaction that arrived together go out in one frame. Delivery
 * thread only.
 */
final class DeliveryDispatcher implements Consumer<List<ConsumerRecord<byte[], byte[]>>> {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final SubscriptionTable subscriptions;
    private final BusCodec codec;
    private final Consumer<EdgeSubscription> startSnapshot;

    DeliveryDispatcher(SubscriptionTable subscriptions, BusCodec codec, Consumer<EdgeSubscription> startSnapshot) {
        this.subscriptions = subscriptions;
        this.codec = codec;
        this.startSnapshot = startSnapshot;
    }

    @Override
    public void accept(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<EdgeSubscription> touched = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Delivery delivery;
            try {
                delivery = codec.decode(record.value(), Delivery.class);
                if (delivery instanceof Delivery.Changes changes) {
                    // subscriptions that share deltas get the very same objects: held once, encoded once
                    delivery = changes.resolved();
                }
            } catch (IllegalArgumentException e) {
                LOG.error("skipping unreadable delivery at offset {}: {}", record.offset(), e.getMessage());
                continue;
            }
            if (delivery instanceof Delivery.Registered ack) {
                EdgeSubscription sub = subscriptions.get(ack.id());
                if (sub != null && sub.onRegistered(ack)) {
                    startSnapshot.accept(sub);
                }
            } else if (delivery instanceof Delivery.Changes changes) {
                ChangeStage.reached(ChangeStage.EDGE_READ, changes.txId(), changes.commitTimeMs());
                for (Delivery.Target target : changes.targets()) {
                    EdgeSubscription sub = subscriptions.get(target.id());
                    if (sub != null) {
                        sub.onChanges(changes, target);
                        touched.add(sub);
                    }
                }
            }
        }
        touched.forEach(EdgeSubscription::flush);
    }
}
