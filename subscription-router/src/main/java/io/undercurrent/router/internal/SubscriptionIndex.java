package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every registered subscription, found by table so a change only meets the subscriptions of its own
 * table, and within a table grouped by what their judgment of a change reads ({@link TableGroups}), so
 * a change is judged once per group. Thread-confined to the router loop, so it needs no locks.
 */
final class SubscriptionIndex {

    private final Map<TableRef, TableGroups> byTable = new HashMap<>();
    private final Map<SubscriptionId, ActiveSubscription> byId = new HashMap<>();

    /** Adds or replaces a subscription; returns the one it replaced, or null. */
    ActiveSubscription put(ActiveSubscription subscription) {
        ActiveSubscription previous = remove(subscription.id());
        byId.put(subscription.id(), subscription);
        byTable.computeIfAbsent(subscription.table(), t -> new TableGroups()).add(subscription);
        return previous;
    }

    ActiveSubscription remove(SubscriptionId id) {
        ActiveSubscription removed = byId.remove(id);
        if (removed != null && byTable.get(removed.table()).remove(id)) {
            byTable.remove(removed.table());
        }
        return removed;
    }

    /**
     * The subscriptions of {@code table}, by group of subscriptions any change judges alike under
     * {@code rules}: same query and schema, and the same claims as far as the table's rule reads them.
     */
    Collection<JudgedAlike> forTable(TableRef table, RuleSet rules) {
        TableGroups groups = byTable.get(table);
        return groups == null ? List.of() : groups.groups(rules.claimsRead(table));
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
