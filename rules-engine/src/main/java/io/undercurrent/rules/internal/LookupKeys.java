package io.undercurrent.rules.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Key values and size estimates for lookup tables. Keys are compared as rules compare values, so
 * they are first made canonical: every whole number a Long, every other number a BigDecimal without
 * trailing zeros ({@code 2}, {@code 2.0} and {@code 2L} are one key), text and booleans as they are.
 * Null, lists and objects have no canonical key: they never match, as a comparison with them is
 * unknown.
 */
public final class LookupKeys {

    private LookupKeys() {}

    /** The canonical form of {@code value}, or null when it cannot be a key. Allocation-free for Long and text. */
    public static Object canonical(Object value) {
        if (value instanceof String || value instanceof Long || value instanceof Boolean) {
            return value;
        }
        BigDecimal decimal = Numbers.decimal(value);
        if (decimal == null) {
            return null;
        }
        Object normal = Numbers.normalize(decimal);
        return normal instanceof BigDecimal exact ? exact.stripTrailingZeros() : normal;
    }

    /**
     * A rough estimate of the heap a stored row takes (a 64-bit JVM with compressed references): the
     * map and its entries, and each value. Column names are counted once per row, as a deserialized
     * change carries its own strings.
     */
    public static long estimateRow(Map<String, ?> row) {
        long bytes = 64;
        for (Map.Entry<String, ?> entry : row.entrySet()) {
            bytes += 40 + estimate(entry.getKey()) + estimate(entry.getValue());
        }
        return bytes;
    }

    private static long estimate(Object value) {
        if (value == null || value instanceof Boolean) {
            return 0;
        }
        if (value instanceof String text) {
            return 48 + 2L * text.length();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Double) {
            return 16;
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = 64;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                bytes += 40 + estimate(entry.getKey()) + estimate(entry.getValue());
            }
            return bytes;
        }
        if (value instanceof List<?> list) {
            long bytes = 40;
            for (Object item : list) {
                bytes += 8 + estimate(item);
            }
            return bytes;
        }
        return 64; // BigDecimal and anything rarer
    }
}
