package io.undercurrent.query;

import java.util.Map;

/**
 * How a column name finds its value in a row: the row's own entry of that name, or, when the row has
 * none and the name holds dots, the path through nested documents ({@code "meta.team"} is
 * {@code row.meta.team}), as MongoDB resolves a dotted field path. SQL rows are flat, so their columns
 * (even one literally named {@code "a.b"}) are always found by the first rule; MongoDB documents are
 * nested maps, and a schema lists their nested fields as dotted columns. A path that meets anything
 * but a map before its last part (an array, a scalar) finds no value (NULL): the schema of a
 * collection only lists paths through nested documents. Immutable and thread-safe; {@link #value}
 * allocates nothing.
 */
public final class ColumnPath {

    private final String column;
    private final String[] parts;

    private ColumnPath(String column) {
        this.column = column;
        this.parts = column.indexOf('.') > 0 && !column.endsWith(".") ? column.split("\\.", -1) : null;
    }

    /** The path of {@code column}, split once. */
    public static ColumnPath of(String column) {
        return new ColumnPath(column);
    }

    /** The column's value in {@code row} (see the class comment); null when it has none. */
    public static Object valueOf(Map<String, ?> row, String column) {
        Object v = row.get(column);
        if (v != null || column.indexOf('.') <= 0 || row.containsKey(column)) {
            return v;
        }
        return of(column).value(row);
    }

    /** True when {@code row} holds a value or an explicit null for the column. */
    public static boolean present(Map<String, ?> row, String column) {
        if (row.containsKey(column)) {
            return true;
        }
        ColumnPath path = of(column);
        if (path.parts == null) {
            return false;
        }
        Object current = row;
        for (int i = 0; i < path.parts.length; i++) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(path.parts[i])) {
                return false;
            }
            current = map.get(path.parts[i]);
        }
        return true;
    }

    /** The column's name. */
    public String column() {
        return column;
    }

    /** The column's value in {@code row}; null when it has none. */
    public Object value(Map<String, ?> row) {
        Object v = row.get(column);
        if (v != null || parts == null || row.containsKey(column)) {
            return v;
        }
        Object current = row;
        for (String part : parts) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
