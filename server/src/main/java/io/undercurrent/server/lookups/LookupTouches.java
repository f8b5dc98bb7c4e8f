package io.undercurrent.server.lookups;

import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the looked-up rows that may concern a subscriber last changed, in source order: so a router
 * never judges a change against lookup rows newer than the change. Lookups hold the present, and a
 * router may be behind it (a membership added after a message was written must not make that message
 * readable as it was); such a change is left to the edge, which reads the subscriber's rows again
 * when the lookup row changes (rules-engine/README.md, "Lookups").
 *
 * <p>Per looked-up table it keeps the order of its last change, and per key column that rules give a
 * subscriber's claim ({@link LookupBinding}), the order of the last change of a row holding each value
 * (before or after the change): a membership of {@code bob} changed at order o concerns only
 * subscribers whose {@code sub} is {@code bob}. One entry per value ever changed while this process
 * ran. Written by the feeder's thread; read by any.
 */
final class LookupTouches {

    /** Sorts after every source order: nothing judged before a table is loaded is exact. */
    static final String LOADING = "\uffff";

    private final Map<TableRef, String> lastChange = new ConcurrentHashMap<>();
    private final Map<TableRef, String> floors = new ConcurrentHashMap<>();
    private final Map<TableRef, Map<String, Map<Object, String>>> byValue = new ConcurrentHashMap<>();
    /** The same, counted in changes applied here (marks), for reads judged at the edge. */
    private final AtomicLong seq = new AtomicLong();

    private final Map<TableRef, Long> lastSeq = new ConcurrentHashMap<>();
    private final Map<TableRef, Long> loadSeq = new ConcurrentHashMap<>();
    private final Map<TableRef, Map<String, Map<Object, Long>>> seqByValue = new ConcurrentHashMap<>();
    private volatile Map<TableRef, Set<String>> bound = Map.of();

    /** The key columns rules give claims, per looked-up table; values of other columns are not kept. */
    void bind(Map<TableRef, Set<String>> columns) {
        bound = Map.copyOf(columns);
        byValue.keySet().retainAll(columns.keySet());
        byValue.forEach((table, values) -> values.keySet().retainAll(columns.get(table)));
        seqByValue.keySet().retainAll(columns.keySet());
        seqByValue.forEach((table, values) -> values.keySet().retainAll(columns.get(table)));
    }

    /** The table is being loaded: judging anything before the first change after its snapshot is not exact. */
    void loading(TableRef table) {
        floors.put(table, LOADING);
        long now = seq.incrementAndGet(); // a read before the load, judged after it, is read again
        lastSeq.put(table, now);
        loadSeq.put(table, now);
    }

    /** Where the lookups stand now, for {@link #changedSince}. */
    long mark() {
        return seq.get();
    }

    /** Whether the table still waits for the first change after its snapshot. */
    boolean awaitsFloor(TableRef table) {
        return LOADING.equals(floors.get(table));
    }

    /** The first change read after the table's snapshot: changes from it on are judged exactly. */
    void floor(TableRef table, String order) {
        floors.put(table, order);
    }

    void forget(TableRef table) {
        floors.remove(table);
        lastChange.remove(table);
        byValue.remove(table);
        seqByValue.remove(table);
    }

    /**
     * A change to a row of {@code table} at {@code order}, with the row before (or null) and after (or
     * null), about to be applied: recorded first, so a router never judges with the new row unwarned.
     */
    void touching(TableRef table, String order, Map<String, ?> before, Map<String, ?> after) {
        if (order == null) {
            return;
        }
        lastChange.merge(table, order, LookupTouches::max);
        Set<String> columns = bound.get(table);
        if (columns == null) {
            return;
        }
        Map<String, Map<Object, String>> values = byValue.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (String column : columns) {
            Map<Object, String> orders = values.computeIfAbsent(column, c -> new ConcurrentHashMap<>());
            for (Map<String, ?> row : new Map[] {before, after}) {
                Object value = row == null ? null : LookupStore.keyOf(row.get(column));
                if (value != null) {
                    orders.merge(value, order, LookupTouches::max);
                }
            }
        }
    }

    /**
     * The same change, applied: recorded after, so a read marked after it was judged with the new row.
     */
    void touched(TableRef table, Map<String, ?> before, Map<String, ?> after) {
        long now = seq.incrementAndGet();
        lastSeq.put(table, now);
        Set<String> columns = bound.get(table);
        if (columns == null) {
            return;
        }
        Map<String, Map<Object, Long>> seqs = seqByValue.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (String column : columns) {
            Map<Object, Long> marks = seqs.computeIfAbsent(column, c -> new ConcurrentHashMap<>());
            for (Map<String, ?> row : new Map[] {before, after}) {
                Object value = row == null ? null : LookupStore.keyOf(row.get(column));
                if (value != null) {
                    marks.put(value, now);
                }
            }
        }
    }

    /** The table's snapshot is in: reads marked before judged it loading, or half loaded. */
    void loaded(TableRef table) {
        long now = seq.incrementAndGet();
        lastSeq.put(table, now);
        loadSeq.put(table, now);
    }

    /**
     * Whether a looked-up row that may concern the subscriber changed (or its table was loaded) since
     * {@code mark}: a read judged meanwhile may have used lookups other than those of its point.
     */
    boolean changedSince(List<LookupBinding> bindings, Map<String, ?> auth, long mark) {
        for (LookupBinding binding : bindings) {
            if (loadSeq.getOrDefault(binding.table(), 0L) > mark) {
                return true; // (re)loaded: every row may have changed
            }
            if (binding.claims().isEmpty()) {
                if (lastSeq.getOrDefault(binding.table(), 0L) > mark) {
                    return true;
                }
                continue;
            }
            if (lastSeq.getOrDefault(binding.table(), 0L) <= mark) {
                continue; // nothing of the table changed at all
            }
            Map<String, Map<Object, Long>> values = seqByValue.getOrDefault(binding.table(), Map.of());
            for (Map.Entry<String, String> claim : binding.claims().entrySet()) {
                Object value = auth == null ? null : LookupStore.keyOf(auth.get(claim.getValue()));
                Long last = value == null
                        ? null
                        : values.getOrDefault(claim.getKey(), Map.of()).get(value);
                if (last != null && last > mark) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a looked-up row that may concern the subscriber changed after {@code order} (or its table
     * was loaded after it): then judging the change at {@code order} now could grant what the rules
     * did not grant at that change. False when {@code order} is unknown.
     */
    boolean changedAfter(List<LookupBinding> bindings, Map<String, ?> auth, String order) {
        if (order == null) {
            return false;
        }
        for (LookupBinding binding : bindings) {
            String floor = floors.get(binding.table());
            if (floor != null && floor.compareTo(order) > 0) {
                return true;
            }
            if (binding.claims().isEmpty()) {
                String last = lastChange.get(binding.table());
                if (last != null && last.compareTo(order) > 0) {
                    return true;
                }
                continue;
            }
            Map<String, Map<Object, String>> values = byValue.getOrDefault(binding.table(), Map.of());
            for (Map.Entry<String, String> claim : binding.claims().entrySet()) {
                Object value = auth == null ? null : LookupStore.keyOf(auth.get(claim.getValue()));
                String last = value == null
                        ? null
                        : values.getOrDefault(claim.getKey(), Map.of()).get(value);
                if (last != null && last.compareTo(order) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
