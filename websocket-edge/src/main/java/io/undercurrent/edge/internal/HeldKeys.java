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

    private final List<String> keyColumns;
    private final Map<List<Object>, Map<String, Object>> held = new LinkedHashMap<>();

    HeldKeys(List<String> keyColumns) {
        this.keyColumns = keyColumns;
    }

    void reset(List<Map<String, Object>> rows) {
        held.clear();
        for (Map<String, Object> row : rows) {
            held.put(keyOf(row), row);
        }
    }

    int size() {
        return held.size();
    }

    /** The protocol change for a delta, or null when the client must not see it. */
    Map<String, Object> translate(Delta delta) {
        List<Object> key = keyOf(delta.key());
        boolean holds = held.containsKey(key);
        String op;
        switch (delta.op()) {
            case REMOVED -> {
                if (held.remove(key) == null) {
                    return null;
                }
                op = "removed";
            }
            case ADDED, CHANGED -> {
                held.put(key, delta.row());
                op = holds ? "changed" : "added";
            }
            default -> throw new IllegalStateException("unknown delta op " + delta.op());
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("key", delta.key());
        if (delta.op() != DeltaOp.REMOVED) {
            change.put("row", delta.row());
            if (!delta.unchanged().isEmpty() && holds) {
                change.put("unchanged", delta.unchanged());
            }
        }
        return change;
    }

    /**
     * Replaces the held rows by a fresh result and returns the changes that take the client from
     * the old rows to the new: removals first, then additions and changes in the new result's order.
     */
    List<Map<String, Object>> replaceWith(List<Map<String, Object>> rows) {
        Map<List<Object>, Map<String, Object>> fresh = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            fresh.put(keyOf(row), row);
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map.Entry<List<Object>, Map<String, Object>> old : held.entrySet()) {
            if (!fresh.containsKey(old.getKey())) {
                changes.add(change("removed", keyMap(old.getValue()), null));
            }
        }
        for (Map.Entry<List<Object>, Map<String, Object>> now : fresh.entrySet()) {
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

    private List<Object> keyOf(Map<String, Object> row) {
        List<Object> key = new ArrayList<>(keyColumns.size());
        for (String column : keyColumns) {
            key.add(normalise(row.get(column)));
        }
        return key;
    }

    /** Numbers from JDBC and from JSON may differ in class; keys compare by value. */
    private static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros();
        }
        return value;
    }
}
