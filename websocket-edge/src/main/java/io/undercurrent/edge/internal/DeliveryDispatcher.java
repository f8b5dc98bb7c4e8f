package io.undercurrent.edge.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.change.trace.ChangeStage;
import java.util.ArrayList;
import java.util.List;
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
    private final TargetResolver targets;
    /** The subscriptions the current batch gave changes to, each once, in the order first touched. */
    private final List<EdgeSubscription> touched = new ArrayList<>();
    /** The changes read since the last acknowledgement, grouped per subscription. */
    private final ChangeRun run = new ChangeRun();
    /** The pieces of the deltas translated last, which the subscriptions sharing a delta share. */
    private final RecentDeltas recent = new RecentDeltas();

    DeliveryDispatcher(SubscriptionTable subscriptions, BusCodec codec, Consumer<EdgeSubscription> startSnapshot) {
        this.subscriptions = subscriptions;
        this.codec = codec;
        this.startSnapshot = startSnapshot;
        this.targets = new TargetResolver(subscriptions);
    }

    @Override
    public void accept(List<ConsumerRecord<byte[], byte[]>> records) {
        // a token of its own per batch, so a subscription can tell whether this batch touched it already
        Object batch = new Object();
        targets.refresh(0); // at every poll, so a removed subscription is not kept for long
        try {
            dispatch(records, batch);
            deliverRun(batch);
            for (EdgeSubscription sub : touched) {
                sub.flush();
            }
        } finally {
            touched.clear();
        }
    }

    private void dispatch(List<ConsumerRecord<byte[], byte[]>> records, Object batch) {
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
            deliver(delivery, batch);
        }
    }

    /**
     * Hands one delivery to the subscriptions it names: changes join the run, handed over at the end
     * of the batch or before the next acknowledgement, whichever comes first (a subscription sees
     * acknowledgements and changes in the order they were read); those given changes are flushed at
     * the end of the batch.
     */
    private void deliver(Delivery delivery, Object batch) {
        if (delivery instanceof Delivery.Registered ack) {
            deliverRun(batch);
            EdgeSubscription sub = subscriptions.get(ack.id());
            if (sub != null && sub.onRegistered(ack)) {
                startSnapshot.accept(sub);
            }
        } else if (delivery instanceof Delivery.Changes changes) {
            ChangeStage.reached(ChangeStage.EDGE_READ, changes.txId(), changes.commitTimeMs());
            List<Delivery.Target> list = changes.targets();
            targets.refresh(list.size());
            for (int i = 0; i < list.size(); i++) {
                Delivery.Target target = list.get(i);
                EdgeSubscription sub = targets.resolve(i, target.id());
                if (sub != null) {
                    run.add(sub, changes, target);
                }
            }
            run.changeRead();
            if (run.full()) {
                deliverRun(batch);
            }
        }
    }

    private void deliverRun(Object batch) {
        run.deliver(recent, sub -> {
            if (sub.touchedIn(batch)) {
                touched.add(sub);
            }
        });
    }
}
