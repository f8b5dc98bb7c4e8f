package io.undercurrent.change.value;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Locale;

/**
 * The canonical forms of the values that are neither temporal ({@link CanonicalTemporal}) nor
 * structured: floating-point numbers, exact decimals, bytes and uuids. One definition for every
 * producer of row values: ingest (from Kafka Connect values) and the snapshot readers (from JDBC
 * values and PostgreSQL's text output) both call these, so a snapshot row and the change event of the
 * same row are equal value by value. Stateless.
 */
public final class CanonicalForms {

    private CanonicalForms() {}

    /** A {@code double precision}: the {@code Double}, or the {@link NonFinite} string for NaN and ±Infinity. */
    public static Object float64(double d) {
        return Double.isFinite(d) ? (Object) d : NonFinite.name(d);
    }

    /**
     * A {@code real} (PostgreSQL {@code float4}, MySQL {@code FLOAT}): widened exactly to {@code Double},
     * so {@code 1.1f} is {@code 1.100000023841858}, not {@code 1.1}. That is the value PostgreSQL
     * compares when a {@code real} meets a {@code float8} constant (as the snapshot's SQL does), and the
     * value a snapshot read gives; the shortest decimal form would make the router's matcher and the
     * database disagree about {@code {"r": {"eq": 1.1}}}.
     */
    public static Object float32(float f) {
        return float64(f);
    }

    /** A {@code numeric} from its text: an exact {@code BigDecimal}, or the {@link NonFinite} string. */
    public static Object decimal(String text) {
        return NonFinite.rank(text) != NonFinite.NONE ? text : new BigDecimal(text);
    }

    /** {@code bytea} / blob: standard base64 with padding. */
    public static String bytes(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A uuid: lower case. */
    public static String uuid(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
