package io.undercurrent.query.internal;

/**
 * SQL's three truth values as small ints, so that evaluating a filter allocates nothing.
 * {@code AND}, {@code OR} and {@code NOT} follow SQL (Kleene logic): {@code NOT UNKNOWN}
 * is {@code UNKNOWN}, {@code FALSE AND UNKNOWN} is {@code FALSE}, {@code TRUE OR UNKNOWN}
 * is {@code TRUE}.
 */
public final class Tri {
    public static final int FALSE = 0;
    public static final int TRUE = 1;
    public static final int UNKNOWN = 2;

    private Tri() {}

    public static int not(int v) {
        return v == UNKNOWN ? UNKNOWN : 1 - v;
    }

    public static int of(boolean b) {
        return b ? TRUE : FALSE;
    }
}
