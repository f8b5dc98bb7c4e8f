package io.undercurrent.edge.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every live subscription on this edge, by id. The delivery thread looks up each delivery here while
 * connections add and remove theirs, so it is a concurrent map (lock-striped, no global lock).
 *
 * <p>The map is keyed by {@link Key}, not by {@link SubscriptionId} itself: a record's generated
 * {@code equals} runs through method handles that the JIT does not inline at the map's shared call
 * site, and the delivery thread compares an id per target of every delivery (a thousand per change
 * for a table a thousand connections read).
 */
final class SubscriptionTable {

    private final ConcurrentHashMap<Key, EdgeSubscription> byId = new ConcurrentHashMap<>();
    /** Counts changes to {@link #byId}, each counted once it is made: see {@link #version}. */
    private final AtomicLong version = new AtomicLong();

    EdgeSubscription get(SubscriptionId id) {
        return byId.get(new Key(id));
    }

    /** @return false when the id is taken */
    boolean add(EdgeSubscription sub) {
        boolean added = byId.putIfAbsent(new Key(sub.id()), sub) == null;
        if (added) {
            version.incrementAndGet();
        }
        return added;
    }

    EdgeSubscription remove(SubscriptionId id) {
        EdgeSubscription removed = byId.remove(new Key(id));
        if (removed != null) {
            version.incrementAndGet();
        }
        return removed;
    }

    /** Removes this subscription, but not another one that took its id since (a query id reused after unsubscribe). */
    boolean remove(EdgeSubscription sub) {
        boolean removed = byId.remove(new Key(sub.id()), sub);
        if (removed) {
            version.incrementAndGet();
        }
        return removed;
    }

    /**
     * Moves on after every add and remove, once the map shows it: an id resolved while the version
     * read before the lookup still holds resolves to the same subscription now ({@link TargetResolver}).
     */
    long version() {
        return version.get();
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

    /** True when both name the same subscription; compares the parts most likely to differ first. */
    static boolean sameId(SubscriptionId a, SubscriptionId b) {
        return a == b
                || (a.connectionId().equals(b.connectionId())
                        && a.queryId().equals(b.queryId())
                        && a.edgeId().equals(b.edgeId()));
    }

    /** A subscription id with a plain {@code equals} and its hash worked out once. */
    private static final class Key {
        private final SubscriptionId id;
        private final int hash;

        Key(SubscriptionId id) {
            this.id = id;
            this.hash = (id.connectionId().hashCode() * 31 + id.queryId().hashCode()) * 31
                    + id.edgeId().hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && hash == other.hash && sameId(id, other.id);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
