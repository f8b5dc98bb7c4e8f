package io.undercurrent.edge.internal;

import io.undercurrent.bus.SubscriptionId;
import java.util.Arrays;

/**
 * Finds the subscription each target of a delivery names. A router lists an edge's subscriptions in
 * the same order from one change to the next, so the resolver remembers which subscription it found
 * at each position of the last delivery: while the subscription table has not changed since, a
 * target naming the subscription remembered at its position needs one comparison of the id's
 * strings instead of a lookup in the table. Any other target is looked up, and remembered.
 *
 * <p>What it remembers is forgotten as soon as the table changes ({@link #refresh}, called before
 * each delivery and at every poll): it never holds a removed subscription longer than that, and
 * never resolves an id to a subscription that has since been replaced under the same id. Delivery
 * thread only.
 */
final class TargetResolver {

    private final SubscriptionTable table;
    /** Per position in the last deliveries' target lists, the subscription found there; null for none. */
    private EdgeSubscription[] found = new EdgeSubscription[0];
    /** The table's version when {@link #found} was last emptied; every entry was found since. */
    private long version = -1;

    TargetResolver(SubscriptionTable table) {
        this.table = table;
    }

    /**
     * Forgets what the table no longer holds (reads its version before any lookup that follows).
     *
     * @param targets how many targets the next delivery has
     */
    void refresh(int targets) {
        long now = table.version();
        if (now != version) {
            // A lookup made after this read may see changes made after it too: remembered under the
            // older version, it is forgotten at the next refresh, since the version moves once they are made.
            Arrays.fill(found, null);
            version = now;
        }
        if (found.length < targets) {
            found = Arrays.copyOf(found, targets);
        }
    }

    /** The subscription {@code id} names, or null when this edge has none by that id. */
    EdgeSubscription resolve(int position, SubscriptionId id) {
        EdgeSubscription known = found[position];
        if (known != null && SubscriptionTable.sameId(known.id(), id)) {
            return known;
        }
        EdgeSubscription sub = table.get(id);
        found[position] = sub;
        return sub;
    }

    /** How many positions are remembered (a test's view). */
    int remembered() {
        int n = 0;
        for (EdgeSubscription sub : found) {
            if (sub != null) {
                n++;
            }
        }
        return n;
    }
}
