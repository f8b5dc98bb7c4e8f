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
 * body {@link io.undercurrent.edge.protocol.ServerFrames} then writes once). The dispatcher remembers
 * the last deltas it translated ({@link RecentDeltas}); the change maps are unmodifiable, as frames
 * share them. The change maps are made on first use, so the pieces are used on one thread: the one
 * whose {@link RecentDeltas} handed them out.
 */
final class SharedDelta {

    private final Delta delta;
    private final List<String> keyColumns;
    private final RowKey key;
    private Map<String, Object> added;
    private Map<String, Object> changed;
    private Map<String, Object> removed;

    SharedDelta(Delta delta, List<String> keyColumns) {
        this.delta = delta;
        this.keyColumns = keyColumns;
        this.key = RowKey.of(delta.key(), keyColumns);
    }

    /** True for the pieces of this very delta, for a table keyed by equal columns. */
    boolean isFor(Delta delta, List<String> keyColumns) {
        return this.delta == delta && (this.keyColumns == keyColumns || this.keyColumns.equals(keyColumns));
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
}
