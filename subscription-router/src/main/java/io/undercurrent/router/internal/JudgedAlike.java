package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscriptions of one table with equal {@link JudgmentKey}s: a change means the same to each of
 * them, so it is judged once, with any one of them, and the delta goes to all. Positions and targets
 * stay per subscription (each has its own id and generation). Thread-confined to the router loop.
 */
final class JudgedAlike {

    private final Map<SubscriptionId, ActiveSubscription> members = new LinkedHashMap<>();

    void add(ActiveSubscription sub) {
        members.put(sub.id(), sub);
    }

    /** Removes a member; returns whether the group is now empty. */
    boolean remove(SubscriptionId id) {
        members.remove(id);
        return members.isEmpty();
    }

    /** The member a change is judged with: every member would be judged alike. */
    ActiveSubscription judged() {
        return members.values().iterator().next();
    }

    Collection<ActiveSubscription> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }
}
