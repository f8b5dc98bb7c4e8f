package io.undercurrent.edge.internal;

import io.undercurrent.bus.Delta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What translating one delta gives each subscription receiving it: the row's {@link RowKey} and the
 * protocol change for each answer ({@code added}, {@code changed}, {@code removed}). Subscriptions
 * that share deltas receive the very same {@link Delta} object, one after the other on one thread;
 * these pieces are made once for all of them rather than once per subscription, so a thousand
 * subscribers of a table hold one key per row, and their frames carry the same change maps (whose
 * body {@link io.undercurrent.edge.protocol.ServerFrames} then writes once). Each thread remembers the
 * last deltas it translated (a bounded number); the change maps are unmodifiable, as frames share them.
 */
final class SharedDelta {

    /**
     * How many deltas a thread remembers, by identity hash, one per slot: a subscription takes every
     * delta of a run of changes before the next one takes them ({@link ChangeRun}, at most {@link
     * ChangeRun#MAX_CHANGES} changes), so each must stay remembered for the whole run.
     */
    private static final int REMEMBERED = 4096;

    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    private final Delta delta;
    private final List<String> keyColumns;
    private final RowKey key;
    private Map<String, Object> added;
    private Map<String, Object> changed;
    private Map<String, Object> removed;

    private SharedDelta(Delta delta, List<String> keyColumns) {
        this.delta = delta;
        this.keyColumns = keyColumns;
        this.key = RowKey.of(delta.key(), keyColumns);
    }

    /** The pieces of this delta for a table keyed by {@code keyColumns}, made on this thread's first call. */
    static SharedDelta of(Delta delta, List<String> keyColumns) {
        SharedDelta[] recent = RECENT.get().entries;
        int slot = System.identityHashCode(delta) & (REMEMBERED - 1);
        SharedDelta known = recent[slot];
        if (known != null
                && known.delta == delta
                && (known.keyColumns == keyColumns || known.keyColumns.equals(keyColumns))) {
            return known;
        }
        // a slot another delta took is taken over: the pieces are made again, equal, only not shared
        SharedDelta made = new SharedDelta(delta, keyColumns);
        recent[slot] = made;
        return made;
    }

    RowKey key() {
        return key;
    }

    /** {@code added}: the row, without {@code unchanged} (a client that did not hold it has nothing to keep). */
    Map<String, Object> added() {
        if (added == null) {
            added = change("added", false);
        }
        return added;
    }

    /** {@code changed}: the row, and the columns the client keeps its own values of when there are any. */
    Map<String, Object> changed() {
        if (changed == null) {
            changed = change("changed", true);
        }
        return changed;
    }

    /** {@code removed}: the key alone. */
    Map<String, Object> removed() {
        if (removed == null) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("op", "removed");
            change.put("key", delta.key());
            removed = Collections.unmodifiableMap(change);
        }
        return removed;
    }

    private Map<String, Object> change(String op, boolean holds) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("key", delta.key());
        change.put("row", delta.row());
        if (!delta.unchanged().isEmpty() && holds) {
            change.put("unchanged", delta.unchanged());
        }
        return Collections.unmodifiableMap(change);
    }

    /** A thread's last deltas, one per slot. */
    private static final class Recent {
        private final SharedDelta[] entries = new SharedDelta[REMEMBERED];
    }
}
