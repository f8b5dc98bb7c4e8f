package io.undercurrent.rules;

import io.undercurrent.rules.internal.LookupIndexData;
import io.undercurrent.rules.internal.LookupKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link LookupTables}: the looked-up tables' rows, each kept once, indexed by every
 * key the rules declare, bounded by {@link LookupLimits}.
 *
 * <h2>Feeding it</h2>
 * Whoever judges rules (routers, and edges for snapshots) feeds it from captured changes, the same
 * canonical rows the rules judge:
 * <ol>
 *   <li>{@link #declare} the indexes of the rules in force (the engine does so before new rules go
 *       live when this store is in {@link RulesOptions#lookups()}); {@link #tables()} are then the
 *       tables to feed. A newly declared table is <em>loading</em>: lookups into it are unavailable, so
 *       rules that consult it deny.
 *   <li>{@link #upsert} every row of a snapshot of the table, then call {@link #ready}. Changes
 *       captured while the snapshot is read may be applied before or after its rows: an upsert or
 *       delete by primary key is idempotent, so replaying the change stream from before the snapshot
 *       converges.
 *   <li>Apply each later change: {@link #upsert} for inserts and updates (the row after), {@link #delete}
 *       for deletes. Changes of tables no rule looks up are ignored cheaply.
 * </ol>
 *
 * <p>Thread-safe. Writes are serialized by one lock; {@link #rows} takes no lock and allocates nothing,
 * and sees each write entirely or not at all. Memory: each row once, plus an entry per index that
 * keys it (estimates in rules-engine/README.md, "Lookups").
 */
public final class LookupStore implements LookupTables {

    private enum State {
        LOADING,
        READY,
        OVER_LIMIT
    }

    /** One looked-up table: its rows by primary key. Guarded by the store's lock, except {@code state}. */
    private static final class Table {
        final Map<List<Object>, Map<String, ?>> rows = new HashMap<>();
        final Map<List<Object>, Long> sizes = new HashMap<>();
        final List<LookupIndexData> indexes = new ArrayList<>();
        volatile State state = State.LOADING;
        volatile String failure;
        long bytes;
    }

    private final LookupLimits limits;
    private final Object lock = new Object();
    private final ConcurrentHashMap<TableRef, Table> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LookupIndex, LookupIndexData> indexes = new ConcurrentHashMap<>();
    private long bytes;

    public LookupStore(LookupLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public List<Map<String, ?>> rows(LookupIndex index, Object[] key) {
        LookupIndexData data = indexes.get(index);
        if (data == null) {
            throw new LookupUnavailableException("no rule in force looks up " + index);
        }
        Table table = tables.get(index.table());
        State state = table == null ? State.LOADING : table.state;
        if (state != State.READY) {
            throw new LookupUnavailableException(
                    state == State.OVER_LIMIT ? table.failure : index.table() + " is still being loaded for lookups");
        }
        return data.find(key);
    }

    /**
     * Makes the store keep exactly {@code wanted}: new indexes are built from the rows already held
     * (a new table starts loading), indexes no longer wanted are dropped, and so are tables no index
     * needs, with their rows.
     */
    @Override
    public void declare(Set<LookupIndex> wanted) {
        synchronized (lock) {
            for (LookupIndex index : wanted) {
                if (indexes.containsKey(index)) {
                    continue;
                }
                Table table = tables.computeIfAbsent(index.table(), t -> new Table());
                LookupIndexData data = new LookupIndexData(index);
                for (Map<String, ?> row : table.rows.values()) {
                    if (data.add(row)) {
                        table.bytes += LookupIndexData.BYTES_PER_ENTRY;
                        bytes += LookupIndexData.BYTES_PER_ENTRY;
                    }
                }
                table.indexes.add(data);
                indexes.put(index, data);
            }
            for (LookupIndex index : List.copyOf(indexes.keySet())) {
                if (!wanted.contains(index)) {
                    LookupIndexData data = indexes.remove(index);
                    tables.get(index.table()).indexes.remove(data);
                }
            }
            for (Map.Entry<TableRef, Table> entry : List.copyOf(tables.entrySet())) {
                if (entry.getValue().indexes.isEmpty()) {
                    tables.remove(entry.getKey());
                    bytes -= entry.getValue().bytes;
                }
            }
        }
    }

    /** The tables the declared indexes look into: the tables to feed. */
    public Set<TableRef> tables() {
        return Set.copyOf(tables.keySet());
    }

    /**
     * Stores a row (inserted or updated), replacing the row with the same primary key. Ignored when
     * no declared index looks into {@code table}, or when the table is over its limit.
     *
     * @param primaryKey the row's primary key columns and values (the change event's key); identifies it
     * @param row the whole row after the change, canonical values; kept as it is, so do not change it
     *     afterwards
     * @return whether the row was stored
     * @throws LookupLimitException when storing it would exceed {@link LookupLimits}: nothing is stored,
     *     and the table is unavailable from then on
     */
    public boolean upsert(TableRef table, Map<String, ?> primaryKey, Map<String, ?> row) {
        Objects.requireNonNull(row, "row");
        List<Object> id = id(primaryKey);
        synchronized (lock) {
            Table data = tables.get(table);
            if (data == null || data.state == State.OVER_LIMIT) {
                return false;
            }
            Map<String, ?> stored = Collections.unmodifiableMap(new LinkedHashMap<>(row));
            long size = LookupKeys.estimateRow(stored);
            Map<String, ?> old = data.rows.get(id);
            long oldSize = old == null ? 0 : data.sizes.get(id);
            if (old == null && data.rows.size() + 1L > limits.maxRowsPerTable()) {
                throw overLimit(
                        table,
                        data,
                        "would hold more than " + limits.maxRowsPerTable() + " rows, the most "
                                + LookupLimits.MAX_ROWS_SETTING + " allows");
            }
            long entries = LookupIndexData.BYTES_PER_ENTRY * data.indexes.size();
            long after = bytes - oldSize + size + (old == null ? entries : 0);
            if (after > limits.maxBytes()) {
                throw overLimit(
                        table,
                        data,
                        "would bring the lookup tables to an estimated " + after + " bytes, more than "
                                + LookupLimits.MAX_BYTES_SETTING + " (" + limits.maxBytes() + ")");
            }
            if (old != null) {
                data.indexes.forEach(index -> index.remove(old));
            }
            long added = 0;
            for (LookupIndexData index : data.indexes) {
                if (index.add(stored)) {
                    added += LookupIndexData.BYTES_PER_ENTRY;
                }
            }
            long removed = old == null ? 0 : entriesOf(old, data);
            data.rows.put(id, stored);
            data.sizes.put(id, size);
            long delta = size - oldSize + added - removed;
            data.bytes += delta;
            bytes += delta;
            return true;
        }
    }

    /** Removes the row with this primary key, if held; true when one was. */
    public boolean delete(TableRef table, Map<String, ?> primaryKey) {
        List<Object> id = id(primaryKey);
        synchronized (lock) {
            Table data = tables.get(table);
            if (data == null) {
                return false;
            }
            Map<String, ?> old = data.rows.remove(id);
            if (old == null) {
                return false;
            }
            long delta = data.sizes.remove(id) + entriesOf(old, data);
            data.indexes.forEach(index -> index.remove(old));
            data.bytes -= delta;
            bytes -= delta;
            return true;
        }
    }

    /** The snapshot of {@code table} is complete: lookups into it answer from now on. */
    public void ready(TableRef table) {
        synchronized (lock) {
            Table data = tables.get(table);
            if (data != null && data.state == State.LOADING) {
                data.state = State.READY;
            }
        }
    }

    /**
     * Forgets every row of {@code table} and makes it loading again, before it is read anew (after a
     * failure, or with a higher limit in a new store).
     */
    public void reload(TableRef table) {
        synchronized (lock) {
            Table data = tables.get(table);
            if (data == null) {
                return;
            }
            data.state = State.LOADING;
            clear(data);
        }
    }

    /**
     * Whether {@code table} is declared and waits for its rows ({@link #declare} added it, or
     * {@link #reload} emptied it): its feeder reads it now. False when it is ready, unknown, or over
     * its limit (then {@link #failure} says why).
     */
    public boolean isLoading(TableRef table) {
        Table data = tables.get(table);
        return data != null && data.state == State.LOADING;
    }

    /** Why {@code table} went over its limit, or null when it did not (or is not declared). */
    public String failure(TableRef table) {
        Table data = tables.get(table);
        return data != null && data.state == State.OVER_LIMIT ? data.failure : null;
    }

    /** The row held with this primary key, or null: the image a delete or an update replaces. */
    public Map<String, ?> row(TableRef table, Map<String, ?> primaryKey) {
        List<Object> id = id(primaryKey);
        synchronized (lock) {
            Table data = tables.get(table);
            return data == null ? null : data.rows.get(id);
        }
    }

    /**
     * A value as lookups compare it ({@code 2}, {@code 2.0} and {@code 2L} are one key), or null when it
     * can never match (null, a list, an object).
     */
    public static Object keyOf(Object value) {
        return LookupKeys.canonical(value);
    }

    /** Whether lookups into {@code table} answer now. */
    public boolean isReady(TableRef table) {
        Table data = tables.get(table);
        return data != null && data.state == State.READY;
    }

    /** Rows held for {@code table}. */
    public int rowCount(TableRef table) {
        synchronized (lock) {
            Table data = tables.get(table);
            return data == null ? 0 : data.rows.size();
        }
    }

    /** The estimated bytes all looked-up tables hold now (see {@link LookupLimits}). */
    public long estimatedBytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    private LookupLimitException overLimit(TableRef table, Table data, String what) {
        String message = "lookup table " + table + " " + what + "; raise the setting, or look up a smaller table."
                + " Rules that look " + table + " up deny until it is loaded again";
        data.failure = message;
        data.state = State.OVER_LIMIT;
        clear(data);
        return new LookupLimitException(table, message);
    }

    private void clear(Table data) {
        for (Map<String, ?> row : data.rows.values()) {
            data.indexes.forEach(index -> index.remove(row));
        }
        data.rows.clear();
        data.sizes.clear();
        bytes -= data.bytes;
        data.bytes = 0;
    }

    private static long entriesOf(Map<String, ?> row, Table data) {
        long entries = 0;
        for (LookupIndexData index : data.indexes) {
            if (index.keyed(row)) {
                entries += LookupIndexData.BYTES_PER_ENTRY;
            }
        }
        return entries;
    }

    /** A primary key as a comparable value: its canonical values in column-name order. */
    private static List<Object> id(Map<String, ?> primaryKey) {
        if (primaryKey == null || primaryKey.isEmpty()) {
            throw new IllegalArgumentException("a looked-up row needs its primary key (the change event's key)");
        }
        Object[] values = new Object[primaryKey.size() * 2];
        int i = 0;
        for (Map.Entry<String, ?> column : new TreeMap<>(primaryKey).entrySet()) {
            values[i++] = column.getKey();
            Object canonical = LookupKeys.canonical(column.getValue());
            values[i++] = canonical == null ? column.getValue() : canonical;
        }
        return Arrays.asList(values);
    }
}
