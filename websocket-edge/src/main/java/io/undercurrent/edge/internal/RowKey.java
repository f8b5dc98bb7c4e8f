package io.undercurrent.edge.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A row's primary key as {@link HeldKeys} holds it: its values in key-column order, numbers compared
 * by value (JDBC and JSON may give different classes), the hash worked out once. Immutable, so one
 * key serves every subscription that holds the row.
 */
final class RowKey {

    private final Object[] values;
    private final int hash;

    private RowKey(Object[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    /** The key of a row (or of a delta's key map) in the order of {@code columns}. */
    static RowKey of(Map<String, Object> row, List<String> columns) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = normalise(row.get(columns.get(i)));
        }
        return new RowKey(values);
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

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof RowKey other && hash == other.hash && Arrays.equals(values, other.values));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
