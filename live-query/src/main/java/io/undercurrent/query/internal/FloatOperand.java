package io.undercurrent.query.internal;

import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.TableSchema.Column;
import java.math.BigDecimal;

/**
 * A constant for a {@code real} / {@code double precision} column. PostgreSQL compares
 * such a column with the constant as {@code float8} (a {@code real} value widened
 * exactly, the constant rounded once to the nearest double), with {@code NaN} equal to
 * itself and above every other value, and {@code -0} equal to {@code 0}; so does this.
 */
final class FloatOperand extends Operand {
    private final double value;

    FloatOperand(Column column, Object constant) {
        super(column);
        this.value = NonFinite.toDouble(constant);
    }

    @Override
    public int compareRow(Object v) {
        double d;
        if (v instanceof Double || v instanceof Float) {
            d = ((Number) v).doubleValue();
        } else if (v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigDecimal) {
            d = NonFinite.toDouble(v);
        } else if (v instanceof CharSequence s && NonFinite.rank(s) != NonFinite.NONE) {
            d = NonFinite.toDouble(s.toString());
        } else {
            throw notCanonical(v, "a Double or \"NaN\"/\"Infinity\"/\"-Infinity\"");
        }
        return compare(d, value);
    }

    /** PostgreSQL's float8 order. */
    static int compare(double a, double b) {
        boolean aNaN = Double.isNaN(a);
        boolean bNaN = Double.isNaN(b);
        if (aNaN || bNaN) {
            return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
