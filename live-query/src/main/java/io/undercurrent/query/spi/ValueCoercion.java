package io.undercurrent.query.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.QueryLimits;
import io.undercurrent.query.TableSchema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a filter value written by a client into the canonical value of its column's
 * kind, or says precisely why it cannot. The same rules serve the parser (client JSON)
 * and the compilers (values read back from a subscription record), so a value the
 * parser accepts is one both evaluations handle identically. Idempotent on canonical values.
 */
public final class ValueCoercion {
    /** Constants may have at most this many digits before, and after, the decimal point. */
    static final int MAX_DIGITS = 1000;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,9})?");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    // PostgreSQL's ranges: timestamps from 4714-11-24 BC (ISO year -4713) to before 294277-01-01,
    // dates to before 5874898-01-01.
    private static final long MIN_DAY = CanonicalTemporal.epochDay(-4713, 11, 24);
    private static final long END_TIMESTAMP_DAY = CanonicalTemporal.epochDay(294277, 1, 1);
    private static final long END_DATE_DAY = CanonicalTemporal.epochDay(5874898, 1, 1);

    private ValueCoercion() {}

    /**
     * A JSON scalar as a raw Java value: {@code null}, {@code Boolean}, {@code String},
     * {@code Long} or {@code BigDecimal}.
     *
     * @throws InvalidQueryException for objects and arrays
     */
    public static Object fromJson(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            if (node.isIntegralNumber()) {
                return node.canConvertToLong() ? (Object) node.longValue() : new BigDecimal(node.bigIntegerValue());
            }
            if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                return NonFinite.name(node.doubleValue());
            }
            return node.decimalValue();
        }
        throw new InvalidQueryException(
                path,
                "expected a single value (string, number, boolean or null), not "
                        + (node.isArray() ? "an array" : "an object"));
    }

    /** The {@code dbType} of a MongoDB ObjectId column (kind TEXT): values are 24 lower-case hex digits. */
    public static final String OBJECT_ID = "objectId";

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{24}");

    /**
     * The canonical form of {@code raw} for {@code column}.
     *
     * @param raw    {@code null}, {@code Boolean}, {@code String} or a {@code Number}
     * @param limits caps the length of text values; {@code null} for none
     * @return {@code null} for {@code null}, otherwise a canonical value (see {@code Filter})
     * @throws InvalidQueryException naming {@code path} when the value does not fit the column
     */
    public static Object coerce(Column column, Object raw, String path, QueryLimits limits) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof String s && limits != null && s.length() > limits.maxValueLength()) {
            throw new InvalidQueryException(
                    path,
                    "value is " + s.length() + " characters long; at most " + limits.maxValueLength() + " are allowed");
        }
        ColumnType type = column.type();
        return switch (type) {
            case INTEGER, DECIMAL, FLOAT -> number(column, raw, path);
            case BOOLEAN -> {
                if (raw instanceof Boolean) {
                    yield raw;
                }
                throw expected(path, "true or false", column);
            }
            case TEXT -> text(column, raw, path);
            case UUID -> {
                if (raw instanceof String s && UUID.matcher(s).matches()) {
                    yield s.toLowerCase(Locale.ROOT);
                }
                throw expected(path, "a uuid string (8-4-4-4-12 hex digits)", column);
            }
            case TIMESTAMPTZ, TIMESTAMP, DATE, TIME -> temporal(column, raw, path);
            case BYTES -> {
                if (raw instanceof String s) {
                    try {
                        yield Base64.getEncoder()
                                .encodeToString(Base64.getDecoder().decode(s));
                    } catch (IllegalArgumentException e) {
                        throw expected(path, "a standard base64 string", column);
                    }
                }
                throw expected(path, "a standard base64 string", column);
            }
            default ->
                throw new InvalidQueryException(
                        path,
                        "column \"" + column.name() + "\" (" + TypeNames.display(column.dbType())
                                + ") cannot be compared with a value; only isNull applies");
        };
    }

    private static Object number(Column column, Object raw, String path) {
        ColumnType type = column.type();
        String special = null;
        BigDecimal d = null;
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        } else if (raw instanceof BigDecimal bd) {
            d = bd;
        } else if (raw instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (raw instanceof Double || raw instanceof Float) {
            double v = ((Number) raw).doubleValue();
            if (Double.isFinite(v)) {
                d = new BigDecimal(Double.toString(v));
            } else {
                special = NonFinite.name(v);
            }
        } else if (raw instanceof String s) {
            if (NonFinite.rank(s) != NonFinite.NONE) {
                special = s;
            } else if (NUMBER.matcher(s).matches()) {
                d = new BigDecimal(s);
            }
        }
        if (special != null) {
            if (type == ColumnType.INTEGER) {
                throw new InvalidQueryException(
                        path,
                        "\"" + special + "\" is not an integer; column \"" + column.name() + "\" ("
                                + TypeNames.display(column.dbType()) + ") holds whole numbers");
            }
            return special;
        }
        if (d == null) {
            throw expected(path, "a number", column);
        }
        return finiteNumber(column, d, path);
    }

    private static Object finiteNumber(Column column, BigDecimal d, String path) {
        // Counted before anything spells the digits out: 1e999999999 is a few bytes of JSON but a
        // billion digits, which setScale would try to build (and fail on past 2^31 bits).
        long integerDigits = d.signum() == 0 ? 1 : (long) d.precision() - d.scale();
        if (d.scale() > MAX_DIGITS || integerDigits > MAX_DIGITS) {
            throw new InvalidQueryException(
                    path,
                    "number has too many digits; at most " + MAX_DIGITS + " before and " + MAX_DIGITS
                            + " after the decimal point are allowed");
        }
        if (column.type() == ColumnType.FLOAT) {
            double v = Double.parseDouble(d.toString());
            if (Double.isInfinite(v) || (v == 0 && d.signum() != 0)) {
                throw new InvalidQueryException(
                        path,
                        "number " + abbreviate(d.toString())
                                + " is out of range for column \"" + column.name() + "\" ("
                                + TypeNames.display(column.dbType()) + ")");
            }
        }
        if (d.scale() < 0) {
            d = d.setScale(0);
        }
        if (d.scale() == 0 && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
            return d.longValueExact();
        }
        return d;
    }

    private static Object text(Column column, Object raw, String path) {
        if (!(raw instanceof String s)) {
            throw expected(path, "a string", column);
        }
        if (OBJECT_ID.equals(column.dbType())) {
            // MongoDB ObjectIds: canonical values are lower-case hex, which orders as the ids' bytes do.
            if (s.length() == 24 && HEX.matcher(s).matches()) {
                return s.toLowerCase(Locale.ROOT);
            }
            throw expected(path, "an ObjectId (24 hex digits)", column);
        }
        String why = CodePoints.unstorableReason(s);
        if (why != null) {
            throw new InvalidQueryException(path, "text " + why);
        }
        return s;
    }

    private static Object temporal(Column column, Object raw, String path) {
        ColumnType type = column.type();
        String form = switch (type) {
            case TIMESTAMPTZ -> "an ISO-8601 timestamp with a zone offset, like \"2024-05-01T12:00:00.123456Z\"";
            case TIMESTAMP -> "an ISO-8601 local timestamp without zone, like \"2024-05-01T12:00:00.123456\"";
            case DATE -> "a date like \"2024-05-01\"";
            default -> "a time of day like \"12:00:00.123456\"";
        };
        if (!(raw instanceof String s)) {
            throw expected(path, form, column);
        }
        long v;
        try {
            v = parseTemporal(type, s);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidQueryException(
                    path,
                    "expected " + form + " for column \"" + column.name() + "\" (" + TypeNames.display(column.dbType())
                            + "); " + e.getMessage());
        }
        if (v != CanonicalTemporal.POS_INFINITY && v != CanonicalTemporal.NEG_INFINITY && !inRange(type, v)) {
            throw new InvalidQueryException(
                    path,
                    "\"" + abbreviate(s) + "\" is outside the range of column \"" + column.name() + "\" ("
                            + TypeNames.display(column.dbType()) + ")");
        }
        return switch (type) {
            case TIMESTAMPTZ -> CanonicalTemporal.formatTimestamptz(v);
            case TIMESTAMP -> CanonicalTemporal.formatTimestamp(v);
            case DATE -> CanonicalTemporal.formatDate(v);
            default -> CanonicalTemporal.formatTime(v);
        };
    }

    private static boolean inRange(ColumnType type, long v) {
        return switch (type) {
            case TIMESTAMPTZ, TIMESTAMP ->
                v >= CanonicalTemporal.dayStartMicros(MIN_DAY)
                        && v < CanonicalTemporal.dayStartMicros(END_TIMESTAMP_DAY);
            case DATE -> v >= MIN_DAY && v < END_DATE_DAY;
            default -> true;
        };
    }

    private static InvalidQueryException expected(String path, String what, Column column) {
        return new InvalidQueryException(
                path,
                "expected " + what + " for column \"" + column.name() + "\" (" + TypeNames.display(column.dbType())
                        + ")");
    }

    /**
     * A temporal column's text as the {@code long} of {@link CanonicalTemporal} (microseconds or days).
     *
     * @throws IllegalArgumentException when the text is not a value of the type (the message says why)
     */
    public static long parseTemporal(ColumnType type, CharSequence s) {
        return switch (type) {
            case TIMESTAMPTZ -> CanonicalTemporal.parseTimestamptz(s);
            case TIMESTAMP -> CanonicalTemporal.parseTimestamp(s);
            case DATE -> CanonicalTemporal.parseDate(s);
            case TIME -> CanonicalTemporal.parseTime(s);
            default -> throw new IllegalArgumentException(type + " is not temporal");
        };
    }

    /** Client text shortened for error messages, so a huge value is not echoed back whole. */
    public static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
