package io.undercurrent.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a subscriber sees of a readable row: its key columns, then the requested fields (all columns
 * when none were requested) that the rules' field masks let through. Snapshot rows and deltas both
 * go through here, so a row looks the same whichever way it reached the client.
 *
 * <p>A dotted column ({@code meta.team}) is looked up through nested documents ({@link ColumnPath}) and sent
 * under its dotted name; a nested document is sent without the nested fields the masks hide.
 *
 * <p>Key columns are always kept: the client addresses rows by key, and every change carries the key.
 */
public final class RowView {

    private RowView() {}

    /**
     * @param row        the full row image
     * @param visible    which columns the subscriber may see, e.g. {@code access::fieldVisible} of an
     *                   allowed access decision for this row and subscriber
     * @param keyColumns the table's primary key
     * @param fields     requested columns, or null for all
     */
    public static Map<String, Object> project(
            Map<String, ?> row, Predicate<String> visible, List<String> keyColumns, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String column : keyColumns) {
            out.put(column, ColumnPath.valueOf(row, column));
        }
        if (fields == null) {
            row.forEach((column, value) -> {
                if (visible.test(column)) {
                    out.putIfAbsent(column, visibleParts(column, value, visible));
                }
            });
        } else {
            for (String column : fields) {
                if (ColumnPath.present(row, column) && visible.test(column)) {
                    out.putIfAbsent(column, visibleParts(column, ColumnPath.valueOf(row, column), visible));
                }
            }
        }
        return out;
    }

    /**
     * A nested document without the fields whose dotted column ({@code meta.salary} inside {@code meta})
     * the subscriber may not see, so a mask on a nested field holds when the whole document is sent.
     * Other values, and documents with nothing hidden, are returned as they are.
     */
    private static Object visibleParts(String column, Object value, Predicate<String> visible) {
        if (!(value instanceof Map<?, ?> document)) {
            return value;
        }
        Map<String, Object> copy = null;
        for (Map.Entry<?, ?> e : document.entrySet()) {
            String name = column + "." + e.getKey();
            Object part = visible.test(name) ? visibleParts(name, e.getValue(), visible) : HIDDEN;
            if (part != e.getValue() && copy == null) {
                copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> before : document.entrySet()) {
                    if (before.getKey().equals(e.getKey())) {
                        break;
                    }
                    copy.put(String.valueOf(before.getKey()), before.getValue());
                }
            }
            if (copy != null && part != HIDDEN) {
                copy.put(String.valueOf(e.getKey()), part);
            }
        }
        return copy == null ? value : copy;
    }

    private static final Object HIDDEN = new Object();
}
