package io.undercurrent.query.internal;

import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.TableSchema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A constant for an integer or {@code numeric} column. Compares exactly, whatever the
 * Java class of the row value ({@code Long} 2 equals {@code BigDecimal} 2.0), like
 * PostgreSQL's numeric comparison; {@code NaN} and {@code ±Infinity} rank as the
 * database ranks them. The usual case, a {@code Long} row against an integral
 * constant, is a plain {@code long} comparison.
 */
final class ExactNumberOperand extends Operand {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final int rank;
    private final BigDecimal value;
    /** The constant is an integer within {@code long}: compare longs directly. */
    private final boolean exactLong;
    /** For a constant that is not: floor(constant) when it fits, else the constant's side. */
    private final long floor;

    private final int outOfLongRange;

    ExactNumberOperand(Column column, Object constant) {
        super(column);
        if (constant instanceof String s) {
            rank = NonFinite.rank(s);
            value = null;
            exactLong = false;
            floor = 0;
            outOfLongRange = 0;
            return;
        }
        rank = NonFinite.FINITE;
        value = toDecimal((Number) constant);
        if (value.compareTo(LONG_MAX) > 0) {
            outOfLongRange = 1;
        } else if (value.compareTo(LONG_MIN) < 0) {
            outOfLongRange = -1;
        } else {
            outOfLongRange = 0;
        }
        BigDecimal fl = value.setScale(0, RoundingMode.FLOOR);
        exactLong = outOfLongRange == 0 && fl.compareTo(value) == 0;
        floor = outOfLongRange == 0 ? fl.longValueExact() : 0;
    }

    private static BigDecimal toDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    @Override
    public int compareRow(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return rank == NonFinite.FINITE ? compareLong(((Number) v).longValue()) : -rankSign();
        }
        if (v instanceof BigDecimal d) {
            return rank == NonFinite.FINITE ? d.compareTo(value) : -rankSign();
        }
        if (v instanceof BigInteger i) {
            return rank == NonFinite.FINITE ? new BigDecimal(i).compareTo(value) : -rankSign();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            int r = NonFinite.rank(d);
            return r == NonFinite.FINITE ? compareFinite(new BigDecimal(d)) : compareRanks(r);
        }
        if (v instanceof CharSequence s) {
            int r = NonFinite.rank(s);
            if (r != NonFinite.NONE) {
                return compareRanks(r);
            }
        }
        throw notCanonical(v, "an integer (Long), a BigDecimal or \"NaN\"/\"Infinity\"/\"-Infinity\"");
    }

    /** The row is finite and the constant is not: the sign of (finite - constant). */
    private int rankSign() {
        return Integer.signum(rank - NonFinite.FINITE);
    }

    private int compareFinite(BigDecimal d) {
        return rank == NonFinite.FINITE ? d.compareTo(value) : -rankSign();
    }

    private int compareRanks(int rowRank) {
        return Integer.compare(rowRank, rank);
    }

    private int compareLong(long x) {
        if (exactLong) {
            return Long.compare(x, floor);
        }
        if (outOfLongRange != 0) {
            return -outOfLongRange;
        }
        // The constant has a fraction: x < c exactly when x <= floor(c).
        return x <= floor ? -1 : 1;
    }
}
