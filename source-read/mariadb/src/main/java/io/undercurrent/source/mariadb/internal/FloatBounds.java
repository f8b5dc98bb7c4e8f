package io.undercurrent.source.mariadb.internal;

/**
 * Comparisons of a single-precision {@code FLOAT} column with a double constant, as the in-memory
 * matcher makes them. Ingest gives a float {@code f} as the double {@code d(f)} it widens to exactly
 * ({@code 1.1f} is {@code 1.100000023841858}, {@code CanonicalForms.float32}), and the matcher compares
 * {@code d(f)} with the constant; MariaDB compares the widened float too. Since
 * {@code d} is strictly increasing over the floats, each comparison with a constant {@code c} is a
 * comparison of the float itself with a float bound, which MariaDB makes exactly:
 * {@code d(f) < c} exactly when {@code f < atLeast(c)}, {@code d(f) <= c} exactly when
 * {@code f <= atMost(c)}, {@code d(f) == c} exactly when {@code f == equal(c)}. Stateless.
 */
public final class FloatBounds {
    private FloatBounds() {}

    /** The double ingest makes of a float: the float widened exactly. */
    public static double canonical(float f) {
        return f;
    }

    /** The float whose canonical value is {@code c}, or null when none is. */
    public static Float equal(double c) {
        float f0 = (float) c;
        for (float f : new float[] {f0, Math.nextDown(f0), Math.nextUp(f0)}) {
            if (Float.isFinite(f) && canonical(f) == c) {
                return f;
            }
        }
        return null;
    }

    /** The least finite float whose canonical value is at least {@code c}, or null when none is. */
    public static Float atLeast(double c) {
        float f = clamp((float) c);
        while (f > -Float.MAX_VALUE && canonical(Math.nextDown(f)) >= c) {
            f = Math.nextDown(f);
        }
        while (canonical(f) < c) {
            if (f == Float.MAX_VALUE) {
                return null;
            }
            f = Math.nextUp(f);
        }
        return f;
    }

    /** The greatest finite float whose canonical value is at most {@code c}, or null when none is. */
    public static Float atMost(double c) {
        float f = clamp((float) c);
        while (f < Float.MAX_VALUE && canonical(Math.nextUp(f)) <= c) {
            f = Math.nextUp(f);
        }
        while (canonical(f) > c) {
            if (f == -Float.MAX_VALUE) {
                return null;
            }
            f = Math.nextDown(f);
        }
        return f;
    }

    private static float clamp(float f) {
        return Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, f));
    }
}
