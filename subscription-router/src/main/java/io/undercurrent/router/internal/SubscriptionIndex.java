package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every registered subscription, found by table so a change only meets the subscriptions of its own
 * table, and within a table grouped by what their judgment of a change reads ({@link JudgmentKey}), so
 * a change is judged once per group. Thread-confined to the router loop, so it needs no locks.
 */
final class SubscriptionIndex {

    private final Map<TableRef, Map<JudgmentKey, JudgedAlike>> byTable = new HashMap<>();
    private final Map<SubscriptionId, ActiveSubscription> byId = new HashMap<>();

    /** Adds or replaces a subscription; returns the one it replaced, or null. */
    ActiveSubscription put(ActiveSubscription subscription) {
        ActiveSubscription previous = remove(subscription.id());
        byId.put(subscription.id(), subscription);
        byTable.computeIfAbsent(subscription.table(), t -> new LinkedHashMap<>())
                .computeIfAbsent(subscription.judgment(), k -> new JudgedAlike())
                .add(subscription);
        return previous;
    }

    ActiveSubscription remove(SubscriptionId id) {
        ActiveSubscription removed = byId.remove(id);
        if (removed != null) {
            Map<JudgmentKey, JudgedAlike> table = byTable.get(removed.table());
            JudgedAlike group = table.get(removed.judgment());
            if (group.remove(id)) {
                table.remove(removed.judgment());
            }
            if (table.isEmpty()) {
                byTable.remove(removed.table());
            }
        }
        return removed;
    }

    /** The subscriptions of {@code table}, by group of subscriptions any change judges alike. */
    Collection<JudgedAlike> forTable(TableRef table) {
        Map<JudgmentKey, JudgedAlike> groups = byTable.get(table);
        return groups == null ? List.of() : groups.values();
    }

    Collection<ActiveSubscription> all() {
        return byId.values();
    }

    /** Removes every subscription of one edge; returns how many. */
    int removeEdge(String edgeId) {
        List<SubscriptionId> gone = new ArrayList<>();
        for (SubscriptionId id : byId.keySet()) {
            if (id.edgeId().equals(edgeId)) {
                gone.add(id);
            }
        }
        gone.forEach(this::remove);
        return gone.size();
    }

    void clear() {
        byTable.clear();
        byId.clear();
    }

    int size() {
        return byId.size();
    }
}
