package io.undercurrent.edge.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live subscription on this edge, by id. The delivery thread looks up each delivery here while
 * connections add and remove theirs, so it is a concurrent map (lock-striped, no global lock).
 */
final class SubscriptionTable {

    private final ConcurrentHashMap<SubscriptionId, EdgeSubscription> byId = new ConcurrentHashMap<>();

    EdgeSubscription get(SubscriptionId id) {
        return byId.get(id);
    }

    /** @return false when the id is taken */
    boolean add(EdgeSubscription sub) {
        return byId.putIfAbsent(sub.id(), sub) == null;
    }

    EdgeSubscription remove(SubscriptionId id) {
        return byId.remove(id);
    }

    /** Removes this subscription, but not another one that took its id since (a query id reused after unsubscribe). */
    boolean remove(EdgeSubscription sub) {
        return byId.remove(sub.id(), sub);
    }

    List<EdgeSubscription> onTables(Collection<TableRef> tables) {
        List<EdgeSubscription> out = new ArrayList<>();
        for (EdgeSubscription sub : byId.values()) {
            if (tables.contains(sub.table())) {
                out.add(sub);
            }
        }
        return out;
    }

    Collection<EdgeSubscription> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }
}
