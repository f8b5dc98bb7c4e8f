package io.undercurrent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A live query's rows by key, in arrival order, as JSON and as the caller's type (each row converted
 * once, when it arrives). Applies snapshots and deltas as the protocol says: {@code removed} carries
 * the key only, and a column listed in {@code unchanged} keeps its previous value. Not thread-safe:
 * used on the client's thread only.
 */
final class RowStore<T> {

    private record Entry<T>(ObjectNode json, T value) {}

    private final Function<ObjectNode, T> convert;
    private final Map<String, Entry<T>> rows = new LinkedHashMap<>();
    private List<String> keyColumns;

    RowStore(Function<ObjectNode, T> convert) {
        this.convert = convert;
    }

    List<String> keyColumns() {
        return keyColumns;
    }

    void replace(List<String> keyColumns, JsonNode snapshotRows) {
        this.keyColumns = List.copyOf(keyColumns);
        Map<String, Entry<T>> fresh = new LinkedHashMap<>();
        for (JsonNode row : snapshotRows) {
            fresh.put(keyOf(row), new Entry<>((ObjectNode) row, convert.apply((ObjectNode) row)));
        }
        rows.clear();
        rows.putAll(fresh);
    }

    /** Applies one change; returns the row after it, or null for {@code removed}. */
    T apply(String op, JsonNode key, JsonNode row, JsonNode unchanged) {
        String k = keyOf(key);
        if ("removed".equals(op)) {
            rows.remove(k);
            return null;
        }
        ObjectNode next = ((ObjectNode) row).deepCopy();
        Entry<T> previous = rows.get(k);
        if (previous != null && unchanged != null) {
            for (JsonNode column : unchanged) {
                JsonNode kept = previous.json().get(column.asText());
                if (kept != null) {
                    next.set(column.asText(), kept);
                }
            }
        }
        T value = convert.apply(next);
        rows.put(k, new Entry<>(next, value));
        return value;
    }

    /** The rows in arrival order, as an immutable list. */
    List<T> values() {
        List<T> values = new ArrayList<>(rows.size());
        for (Entry<T> entry : rows.values()) {
            values.add(entry.value());
        }
        return java.util.Collections.unmodifiableList(values);
    }

    int size() {
        return rows.size();
    }

    /** The key columns' values in keyColumns order, so a snapshot row and a change's key agree whatever their field order. */
    private String keyOf(JsonNode rowOrKey) {
        if (keyColumns == null) {
            throw new IllegalStateException("a change arrived before the snapshot that names the key columns");
        }
        StringBuilder key = new StringBuilder();
        for (String column : keyColumns) {
            key.append(rowOrKey.path(column).toString()).append('\u0000');
        }
        return key.toString();
    }
}
