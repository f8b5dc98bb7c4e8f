package io.undercurrent.router.internal;

import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.SubscriptionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets of one change on one edge, each delta carried once: a subscription whose delta equals
 * one already listed (same fields and masks, so the same row) points at that target instead of
 * carrying a copy. With a thousand subscribers of one table on an edge, the delivery carries the row
 * once, the edge decodes it once and can encode the frame body once. Not thread-safe.
 */
final class EdgeTargets {

    private final List<Delivery.Target> targets = new ArrayList<>();
    /** Each distinct delta (by value) and the index of the target that carries it. */
    private final Map<Delta, Integer> carriers = new HashMap<>();
    /** The delta last added and its carrier: subscriptions judged alike come one after the other with one delta object. */
    private Delta last;

    private int lastCarrier;

    void add(SubscriptionId id, long generation, String rulesVersion, Delta delta) {
        if (delta != last) {
            // Compared by value (hashing the row) once per distinct delta object, not once per subscription.
            Integer carrier = carriers.putIfAbsent(delta, targets.size());
            last = delta;
            lastCarrier = carrier == null ? targets.size() : carrier;
            if (carrier == null) {
                targets.add(new Delivery.Target(id, generation, rulesVersion, List.of(delta)));
                return;
            }
        }
        targets.add(new Delivery.Target(id, generation, rulesVersion, List.of(), lastCarrier));
    }

    List<Delivery.Target> targets() {
        return targets;
    }
}
