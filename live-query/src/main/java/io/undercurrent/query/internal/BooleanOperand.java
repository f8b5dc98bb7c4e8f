package io.undercurrent.query.internal;

import io.undercurrent.query.TableSchema.Column;

/** A constant for a {@code boolean} column; {@code false < true}, as in PostgreSQL. */
final class BooleanOperand extends Operand {
    private final boolean value;

    BooleanOperand(Column column, Boolean value) {
        super(column);
        this.value = value;
    }

    @Override
    public int compareRow(Object v) {
        if (v instanceof Boolean b) {
            return Boolean.compare(b, value);
        }
        throw notCanonical(v, "a Boolean");
    }
}
