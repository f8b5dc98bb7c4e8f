package io.undercurrent.rules.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/** Exact arithmetic and conversions on canonical numbers; null in, null out. */
final class Numbers {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Numbers() {}

    /** The exact decimal value of a number, or null for non-numbers, NaN and infinities. */
    static BigDecimal decimal(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return null;
    }

    static boolean isIntegral(Object value) {
        BigDecimal decimal = decimal(value);
        return decimal != null
                && (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0);
    }

    /** Long when the value is integral and fits, else the BigDecimal itself. */
    static Object normalize(BigDecimal value) {
        if (value.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
            return stripped.longValueExact();
        }
        return value;
    }

    static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long sum = x + y;
            if (((x ^ sum) & (y ^ sum)) >= 0) {
                return sum;
            }
        }
        if (a instanceof String x && b instanceof String y) {
            return x.concat(y);
        }
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        return x == null || y == null ? null : normalize(x.add(y));
    }

    static Object subtract(Object a, Object b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        return x == null || y == null ? null : normalize(x.subtract(y));
    }

    static Object multiply(Object a, Object b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        return x == null || y == null ? null : normalize(x.multiply(y));
    }

    /** Exact when possible, else to 34 significant digits. Division by zero is a rule error. */
    static Object divide(Object a, Object b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null) {
            return null;
        }
        if (y.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return normalize(x.divide(y, MathContext.DECIMAL128));
    }

    static Object remainder(Object a, Object b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null) {
            return null;
        }
        if (y.signum() == 0) {
            throw new ArithmeticException("remainder of division by zero");
        }
        return normalize(x.remainder(y));
    }

    static Object negate(Object a) {
        BigDecimal x = decimal(a);
        return x == null ? null : normalize(x.negate());
    }

    /** A number as is, or a text holding a plain decimal number; null otherwise. */
    static Object parse(Object value) {
        if (value instanceof Number) {
            return decimal(value) == null ? null : value;
        }
        if (value instanceof String text
                && text.length() <= 100
                && DECIMAL.matcher(text).matches()) {
            return normalize(new BigDecimal(text));
        }
        return null;
    }

    /**
     * Epoch milliseconds of a canonical timestamp text (with offset or {@code Z}; without one it is read
     * as UTC) or date ({@code yyyy-MM-dd}, midnight UTC); a number is taken as milliseconds already.
     */
    static Object millis(Object value) {
        if (value instanceof Number) {
            return parse(value);
        }
        if (!(value instanceof String text) || text.length() > 64) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            }
            char last = text.charAt(text.length() - 1);
            if (last == 'Z' || last == 'z') {
                return Instant.parse(text.toUpperCase(java.util.Locale.ROOT)).toEpochMilli();
            }
            if (text.length() > 19 && (text.lastIndexOf('+') > 18 || text.lastIndexOf('-') > 18)) {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }
}
