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
            out.put(column, row.get(column));
        }
        if (fields == null) {
            row.forEach((column, value) -> {
                if (visible.test(column)) {
                    out.putIfAbsent(column, value);
                }
            });
        } else {
            for (String column : fields) {
                if (row.containsKey(column) && visible.test(column)) {
                    out.putIfAbsent(column, row.get(column));
                }
            }
        }
        return out;
    }
}
