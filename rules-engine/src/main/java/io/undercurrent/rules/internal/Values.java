package io.undercurrent.rules.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Comparison and membership on canonical values, in three-valued logic.
 *
 * <p>Each predicate answers "definitely true?". A value that is null, or of another kind than its
 * counterpart (text against number), or not comparable at all (lists, maps), makes a comparison
 * <em>unknown</em>, and unknown is false for the predicate <em>and</em> for its negation ({@link #eq}
 * and {@link #ne} are both false). That is what keeps negation fail-closed.
 *
 * <p>Numbers compare by value whatever their class ({@code 2L} equals {@code 2.0} as BigDecimal), never
 * through {@code double}, so 64-bit ids stay exact. Doubles compare by their shortest decimal form.
 */
final class Values {

    /** Returned by {@link #compare} when the values cannot be ordered. */
    static final int UNKNOWN = Integer.MIN_VALUE;

    private Values() {}

    static boolean eq(Object a, Object b) {
        if (a instanceof String text) {
            return text.equals(b);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue();
        }
        if (a instanceof Boolean flag) {
            return flag.equals(b);
        }
        return a instanceof Number && compare(a, b) == 0;
    }

    static boolean ne(Object a, Object b) {
        if (a instanceof String text) {
            return b instanceof String && !text.equals(b);
        }
        if (a instanceof Boolean flag) {
            return b instanceof Boolean && !flag.equals(b);
        }
        if (a instanceof Number) {
            int order = compare(a, b);
            return order != UNKNOWN && order != 0;
        }
        return false;
    }

    /** Sign of a compared to b for two numbers or two texts; {@link #UNKNOWN} otherwise. */
    static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(x.compareTo(y));
        }
        BigDecimal x = Numbers.decimal(a);
        BigDecimal y = x == null ? null : Numbers.decimal(b);
        return y == null ? UNKNOWN : x.compareTo(y);
    }

    static boolean lt(Object a, Object b) {
        int order = compare(a, b);
        return order != UNKNOWN && order < 0;
    }

    static boolean le(Object a, Object b) {
        int order = compare(a, b);
        return order != UNKNOWN && order <= 0;
    }

    static boolean gt(Object a, Object b) {
        int order = compare(a, b);
        return order != UNKNOWN && order > 0;
    }

    static boolean ge(Object a, Object b) {
        int order = compare(a, b);
        return order != UNKNOWN && order >= 0;
    }

    /** List element, map key or substring: definitely present. */
    static boolean has(Object container, Object item) {
        if (item == null) {
            return false;
        }
        if (container instanceof List<?> list) {
            for (Object element : list) {
                if (eq(element, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map) {
            return item instanceof String && map.containsKey(item);
        }
        return container instanceof String text && item instanceof String part && text.contains(part);
    }

    /** Definitely absent: every list element is definitely different (as SQL's NOT IN). */
    static boolean hasNot(Object container, Object item) {
        if (item == null) {
            return false;
        }
        if (container instanceof List<?> list) {
            for (Object element : list) {
                if (!ne(element, item)) {
                    return false;
                }
            }
            return true;
        }
        if (container instanceof Map<?, ?> map) {
            return item instanceof String && !map.containsKey(item);
        }
        return container instanceof String text && item instanceof String part && !text.contains(part);
    }

    static boolean startsWith(Object text, Object prefix, boolean wanted) {
        return text instanceof String s && prefix instanceof String p && s.startsWith(p) == wanted;
    }

    static boolean endsWith(Object text, Object suffix, boolean wanted) {
        return text instanceof String s && suffix instanceof String p && s.endsWith(p) == wanted;
    }

    /**
     * A map entry or list element; null when absent or when {@code target} has no such part. JSON
     * object keys are text, so a number looks up its text form ({@code auth.projects[row.project_id]}).
     */
    static Object at(Object target, Object key) {
        if (target instanceof Map<?, ?> map) {
            Object name = key instanceof Number ? str(key) : key;
            return name instanceof String ? map.get(name) : null;
        }
        if (target instanceof List<?> list && Numbers.isIntegral(key)) {
            BigDecimal index = Numbers.decimal(key);
            if (index.signum() >= 0 && index.compareTo(BigDecimal.valueOf(list.size())) < 0) {
                return list.get(index.intValueExact());
            }
        }
        return null;
    }

    /** Length of a text (in characters), list or map; null for anything else. */
    static Object size(Object value) {
        if (value instanceof String text) {
            return (long) text.codePointCount(0, text.length());
        }
        if (value instanceof List<?> list) {
            return (long) list.size();
        }
        return value instanceof Map<?, ?> map ? (Long) (long) map.size() : null;
    }

    /** Text form of a text, number or boolean; null for anything else. */
    static Object str(Object value) {
        if (value instanceof String || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            return value.toString();
        }
        BigDecimal decimal = Numbers.decimal(value);
        return decimal == null ? null : Numbers.plain(decimal);
    }

    /** Canonical kind names, for messages. */
    static String kind(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof List) {
            return "list";
        }
        return value instanceof Map ? "object" : value.getClass().getSimpleName();
    }
}
