package io.undercurrent.edge.internal;

import io.undercurrent.router.bus.Delta;
import io.undercurrent.router.bus.DeltaOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the rows one client holds for one subscription, and the translation of router deltas
 * into the protocol's operations against them: a CHANGED row the client does not hold is sent as
 * {@code added}, an ADDED row it holds as {@code changed}, and a REMOVED row it never had is not sent
 * at all (so a client never learns the key of a row it may not read). Not thread-safe; guarded by
 * its subscription.
 */
final class HeldKeys {

    private final List<String> keyColumns;
    private final Set<List<Object>> held = new HashSet<>();

    HeldKeys(List<String> keyColumns) {
        this.keyColumns = keyColumns;
    }

    void reset(List<Map<String, Object>> rows) {
        held.clear();
        for (Map<String, Object> row : rows) {
            held.add(keyOf(row));
        }
    }

    int size() {
        return held.size();
    }

    /** The protocol change for a delta, or null when the client must not see it. */
    Map<String, Object> translate(Delta delta) {
        List<Object> key = keyOf(delta.key());
        boolean holds = held.contains(key);
        String op;
        switch (delta.op()) {
            case REMOVED -> {
                if (!held.remove(key)) {
                    return null;
                }
                op = "removed";
            }
            case ADDED, CHANGED -> {
                held.add(key);
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
