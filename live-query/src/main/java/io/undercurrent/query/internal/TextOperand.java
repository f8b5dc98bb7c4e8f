package io.undercurrent.query.internal;

import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.CodePoints;

/**
 * A constant for a text-like column, compared by code point like the snapshot's
 * {@code COLLATE "C"}. For {@code char(n)} trailing spaces are ignored on both sides,
 * as PostgreSQL ignores them when comparing {@code char(n)} values.
 */
final class TextOperand extends Operand {
    private final String value;
    private final int length;
    private final boolean blankPadded;

    TextOperand(Column column, String value) {
        super(column);
        this.blankPadded = column.isBlankPadded();
        this.value = value;
        this.length = blankPadded ? CodePoints.lengthWithoutTrailingSpaces(value) : value.length();
    }

    @Override
    public int compareRow(Object v) {
        if (v instanceof CharSequence s) {
            int len = blankPadded ? CodePoints.lengthWithoutTrailingSpaces(s) : s.length();
            return CodePoints.compare(s, len, value, length);
        }
        throw notCanonical(v, "a String");
    }
}
