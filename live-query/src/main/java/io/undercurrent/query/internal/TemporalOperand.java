package io.undercurrent.query.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.ValueCoercion;

/**
 * A constant for a date/time column. Row strings are read into the same {@code long}
 * scale as the constant (see {@link io.undercurrent.change.value.CanonicalTemporal}), so timestamps compare as instants
 * (or wall-clock times for {@code timestamp}), never as text; the canonical layout is
 * read without allocating.
 */
final class TemporalOperand extends Operand {
    private final ColumnType type;
    private final long value;

    TemporalOperand(Column column, String canonical) {
        super(column);
        this.type = column.type();
        this.value = ValueCoercion.parseTemporal(type, canonical);
    }

    @Override
    public int compareRow(Object v) {
        if (v instanceof CharSequence s) {
            long row;
            try {
                row = ValueCoercion.parseTemporal(type, s);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw notCanonical(
                        v,
                        "an ISO-8601 " + type.name().toLowerCase(java.util.Locale.ROOT) + " string (" + e.getMessage()
                                + ")");
            }
            return Long.compare(row, value);
        }
        throw notCanonical(v, "an ISO-8601 String");
    }
}
