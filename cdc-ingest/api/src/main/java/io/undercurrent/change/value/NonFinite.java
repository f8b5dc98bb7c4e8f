package io.undercurrent.change.value;

import java.math.BigDecimal;

/**
 * The non-finite numbers of {@code numeric} and floating-point columns, which the
 * canonical form writes as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}. PostgreSQL orders them {@code -Infinity < finite < Infinity < NaN}
 * and treats {@code NaN} as equal to itself; the ranks below encode that order.
 */
public final class NonFinite {
    public static final int NEG_INFINITY = -1;
    public static final int FINITE = 0;
    public static final int POS_INFINITY = 1;
    public static final int NAN = 2;
    /** Not one of the three strings. */
    public static final int NONE = Integer.MIN_VALUE;

    private NonFinite() {}

    /** The rank of a special string, or {@link #NONE}. */
    public static int rank(CharSequence s) {
        if ("NaN".contentEquals(s)) {
            return NAN;
        }
        if ("Infinity".contentEquals(s)) {
            return POS_INFINITY;
        }
        if ("-Infinity".contentEquals(s)) {
            return NEG_INFINITY;
        }
        return NONE;
    }

    /** The rank of a double: {@link #FINITE} unless NaN or infinite. */
    public static int rank(double d) {
        if (Double.isNaN(d)) {
            return NAN;
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? POS_INFINITY : NEG_INFINITY;
        }
        return FINITE;
    }

    /** The canonical string for a non-finite double. */
    public static String name(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    /** The double PostgreSQL reads for a canonical constant (text input is correctly rounded). */
    public static double toDouble(Object constant) {
        if (constant instanceof String s) {
            return switch (rank(s)) {
                case NAN -> Double.NaN;
                case POS_INFINITY -> Double.POSITIVE_INFINITY;
                case NEG_INFINITY -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("not a number: " + s);
            };
        }
        if (constant instanceof BigDecimal d) {
            return Double.parseDouble(d.toString());
        }
        return Double.parseDouble(constant.toString());
    }
}
