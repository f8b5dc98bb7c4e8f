package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The subscriptions of one table, grouped by {@link JudgmentKey}. The keys depend on which claims the
 * table's rule reads, so the groups are formed again when that changes (a rules reload); until the
 * rules are known they are formed on all claims. Thread-confined to the router loop.
 */
final class TableGroups {

    private final Map<SubscriptionId, ActiveSubscription> subscriptions = new LinkedHashMap<>();
    private final Map<JudgmentKey, JudgedAlike> groups = new LinkedHashMap<>();
    private final Map<SubscriptionId, JudgmentKey> keys = new HashMap<>();
    /** The claims the keys hold, or null for all of them. */
    private Set<String> claimsRead;

    void add(ActiveSubscription sub) {
        subscriptions.put(sub.id(), sub);
        group(sub);
    }

    /** Removes a subscription; returns whether the table has none left. */
    boolean remove(SubscriptionId id) {
        if (subscriptions.remove(id) != null) {
            JudgmentKey key = keys.remove(id);
            if (groups.get(key).remove(id)) {
                groups.remove(key);
            }
        }
        return subscriptions.isEmpty();
    }

    /**
     * The groups of subscriptions any change judges alike, for a rule that reads {@code claimsRead}
     * ({@link io.undercurrent.rules.RuleSet#claimsRead}; null: any claim).
     */
    Collection<JudgedAlike> groups(Set<String> claimsRead) {
        if (!Objects.equals(claimsRead, this.claimsRead)) {
            this.claimsRead = claimsRead;
            groups.clear();
            keys.clear();
            subscriptions.values().forEach(this::group);
        }
        return groups.values();
    }

    private void group(ActiveSubscription sub) {
        JudgmentKey key = JudgmentKey.of(sub, claimsRead);
        keys.put(sub.id(), key);
        groups.computeIfAbsent(key, k -> new JudgedAlike()).add(sub);
    }
}
