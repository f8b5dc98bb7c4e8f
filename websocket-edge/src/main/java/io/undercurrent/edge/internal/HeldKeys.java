package io.undercurrent.edge.internal;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows one client holds for one subscription, by key, and the translation of router deltas
 * into the protocol's operations against them: a CHANGED row the client does not hold is sent as
 * {@code added}, an ADDED row it holds as {@code changed}, and a REMOVED row it never had is not sent
 * at all (so a client never learns the key of a row it may not read). Holding the rows themselves
 * (bounded by the result size) also lets a windowed query be diffed against a fresh read. Not
 * thread-safe; guarded by its subscription.
 */
final class HeldKeys {

    /**
     * What {@link #translate} returns for a guessed delta (no old row image) of a row whose holding
     * is unknown: the client may or may not hold it, and neither answer may be guessed.
     */
    static final Map<String, Object> CANNOT_TELL = Map.of("op", "cannot-tell");

    private final List<String> keyColumns;
    private final Map<RowKey, Map<String, Object>> held = new LinkedHashMap<>();
    /** Rows neither held nor known not held; set after a resume, whose client's rows the edge never saw. */
    private boolean blind;
    /** Keys known not to be held, while blind. */
    private final java.util.Set<RowKey> notHeld = new java.util.HashSet<>();

    HeldKeys(List<String> keyColumns) {
        this.keyColumns = keyColumns;
    }

    /**
     * After a resume: the client holds rows this edge never saw. From now on a delta judged with the
     * row's old image is trusted as to whether the client held the row, and a guessed one for a row
     * not seen since is {@link #CANNOT_TELL}.
     */
    void blind() {
        held.clear();
        notHeld.clear();
        blind = true;
    }

    void reset(List<Map<String, Object>> rows) {
        blind = false;
        notHeld.clear();
        held.clear();
        for (Map<String, Object> row : rows) {
            held.put(keyOf(row), row);
        }
    }

    int size() {
        return held.size();
    }

    /**
     * The protocol change for a delta, or null when the client must not see it. The change map may be
     * the very one other subscriptions receiving the same delta get ({@link SharedDelta}); it is not
     * to be modified.
     *
     * @param recent the pieces of deltas translated before on this thread, which this delta's are
     *               taken from or added to
     */
    Map<String, Object> translate(Delta delta, RecentDeltas recent) {
        SharedDelta shared = recent.of(delta, keyColumns);
        RowKey key = shared.key();
        if (!blind) {
            // the common case, one map operation: every row the client holds is in held
            if (delta.op() == DeltaOp.REMOVED) {
                return held.remove(key) == null ? null : shared.removed();
            }
            if (delta.row() != null && (delta.op() == DeltaOp.ADDED || delta.op() == DeltaOp.CHANGED)) {
                return held.put(key, delta.row()) == null ? shared.added() : shared.changed();
            }
        }
        boolean holds = held.containsKey(key);
        if (blind && !holds && !notHeld.contains(key)) {
            if (delta.guessed()) {
                return CANNOT_TELL;
            }
            // judged with the old image: the router's op says whether the client held the row
            holds = delta.op() != DeltaOp.ADDED;
            if (holds) {
                held.put(key, delta.row() != null ? delta.row() : delta.key());
            }
        }
        switch (delta.op()) {
            case REMOVED -> {
                if (held.remove(key) == null) {
                    return null;
                }
                if (blind) {
                    notHeld.add(key);
                }
                return shared.removed();
            }
            case ADDED, CHANGED -> {
                held.put(key, delta.row());
                notHeld.remove(key);
                return holds ? shared.changed() : shared.added();
            }
            default -> throw new IllegalStateException("unknown delta op " + delta.op());
        }
    }

    /**
     * Replaces the held rows by a fresh result and returns the changes that take the client from
     * the old rows to the new: removals first, then additions and changes in the new result's order.
     */
    List<Map<String, Object>> replaceWith(List<Map<String, Object>> rows) {
        Map<RowKey, Map<String, Object>> fresh = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            fresh.put(keyOf(row), row);
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map.Entry<RowKey, Map<String, Object>> old : held.entrySet()) {
            if (!fresh.containsKey(old.getKey())) {
                changes.add(change("removed", keyMap(old.getValue()), null));
            }
        }
        for (Map.Entry<RowKey, Map<String, Object>> now : fresh.entrySet()) {
            Map<String, Object> before = held.get(now.getKey());
            if (before == null) {
                changes.add(change("added", keyMap(now.getValue()), now.getValue()));
            } else if (!before.equals(now.getValue())) {
                changes.add(change("changed", keyMap(now.getValue()), now.getValue()));
            }
        }
        held.clear();
        held.putAll(fresh);
        return changes;
    }

    private static Map<String, Object> change(String op, Map<String, Object> key, Map<String, Object> row) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("key", key);
        if (row != null) {
            change.put("row", row);
        }
        return change;
    }

    private Map<String, Object> keyMap(Map<String, Object> row) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : keyColumns) {
            key.put(column, row.get(column));
        }
        return key;
    }

    private RowKey keyOf(Map<String, Object> row) {
        return RowKey.of(row, keyColumns);
    }
}
