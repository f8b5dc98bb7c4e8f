package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of one table by one lookup key: one level of concurrent hash maps per key column, the
 * last one leading to an immutable list of rows. A read walks the levels without allocating or
 * locking; writes come from one writer at a time (the store's lock) and replace leaf lists rather
 * than change them, so a reader sees a row either before or after a write, never half of one.
 */
public final class LookupIndexData {

    /** Estimated bytes one indexed row adds (hash map nodes along its path, its place in a leaf list). */
    public static final long BYTES_PER_ENTRY = 72;

    private final LookupIndex index;
    private final ConcurrentHashMap<Object, Object> root = new ConcurrentHashMap<>();

    public LookupIndexData(LookupIndex index) {
        this.index = index;
    }

    public LookupIndex index() {
        return index;
    }

    /** The rows whose key columns hold {@code key}; empty when none, or when a key value cannot match. */
    @SuppressWarnings("unchecked")
    public List<Map<String, ?>> find(Object[] key) {
        if (key.length != index.key().size()) {
            throw new IllegalArgumentException(
                    index + " takes " + index.key().size() + " key values, not " + key.length);
        }
        Object node = root;
        for (Object value : key) {
            Object canonical = LookupKeys.canonical(value);
            if (canonical == null) {
                return List.of();
            }
            node = ((ConcurrentHashMap<Object, Object>) node).get(canonical);
            if (node == null) {
                return List.of();
            }
        }
        return (List<Map<String, ?>>) node;
    }

    /** Indexes {@code row} (the very instance the store keeps); true when it has a usable key. */
    @SuppressWarnings("unchecked")
    public boolean add(Map<String, ?> row) {
        Object[] key = keyOf(row);
        if (key == null) {
            return false;
        }
        ConcurrentHashMap<Object, Object> level = root;
        for (int i = 0; i < key.length - 1; i++) {
            level = (ConcurrentHashMap<Object, Object>) level.computeIfAbsent(key[i], k -> new ConcurrentHashMap<>());
        }
        List<Map<String, ?>> rows = (List<Map<String, ?>>) level.get(key[key.length - 1]);
        List<Map<String, ?>> more = new ArrayList<>(rows == null ? List.of() : rows);
        more.add(row);
        level.put(key[key.length - 1], List.copyOf(more));
        return true;
    }

    /** Removes {@code row} (by identity), pruning levels left empty. */
    @SuppressWarnings("unchecked")
    public void remove(Map<String, ?> row) {
        Object[] key = keyOf(row);
        if (key == null) {
            return;
        }
        List<ConcurrentHashMap<Object, Object>> path = new ArrayList<>();
        ConcurrentHashMap<Object, Object> level = root;
        for (int i = 0; i < key.length - 1 && level != null; i++) {
            path.add(level);
            level = (ConcurrentHashMap<Object, Object>) level.get(key[i]);
        }
        if (level == null) {
            return;
        }
        List<Map<String, ?>> rows = (List<Map<String, ?>>) level.get(key[key.length - 1]);
        if (rows == null) {
            return;
        }
        List<Map<String, ?>> fewer = new ArrayList<>(rows);
        fewer.removeIf(each -> each == row);
        if (!fewer.isEmpty()) {
            level.put(key[key.length - 1], List.copyOf(fewer));
            return;
        }
        level.remove(key[key.length - 1]);
        for (int i = path.size() - 1; i >= 0 && level.isEmpty(); i--) {
            path.get(i).remove(key[i], level);
            level = path.get(i);
        }
    }

    /** Whether {@code row} has a usable key here (and so an entry, once added). */
    public boolean keyed(Map<String, ?> row) {
        return keyOf(row) != null;
    }

    private Object[] keyOf(Map<String, ?> row) {
        List<String> columns = index.key();
        Object[] key = new Object[columns.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = LookupKeys.canonical(row.get(columns.get(i)));
            if (key[i] == null) {
                return null;
            }
        }
        return key;
    }
}
