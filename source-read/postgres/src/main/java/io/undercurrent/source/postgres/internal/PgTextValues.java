package io.undercurrent.source.postgres.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.value.CanonicalForms;
import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.query.ColumnType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Converts PostgreSQL's text output of one value into its canonical form. Used for array
 * elements (which JDBC only offers as text) and json; scalars of other kinds are read
 * through typed JDBC getters by {@code JdbcRowReader}.
 */
public final class PgTextValues {
    /**
     * JSON as the change contract reads it (the same mapper ingest uses): integers as
     * {@code Long} ({@code BigInteger} when larger), other numbers as exact {@code BigDecimal}.
     */
    private static final ObjectMapper JSON = ChangeEventCodec.canonicalMapper();

    private PgTextValues() {}

    /** A json/jsonb document as {@code Map}/{@code List}/scalar. */
    public static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the database returned json that does not parse: " + e.getOriginalMessage(), e);
        }
    }

    /** An array's text as a list of canonical elements (nested for multi-dimensional arrays). */
    public static List<Object> array(String text, ColumnType elementType, String arrayDbType) {
        String elementDbType = arrayDbType.startsWith("_") ? arrayDbType.substring(1) : arrayDbType;
        return convertAll(PgArrayLiteral.parse(text), elementType, elementDbType);
    }

    private static List<Object> convertAll(List<Object> raw, ColumnType type, String dbType) {
        List<Object> out = new ArrayList<>(raw.size());
        for (Object element : raw) {
            if (element == null) {
                out.add(null);
            } else if (element instanceof List<?> nested) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) nested;
                out.add(convertAll(list, type, dbType));
            } else {
                out.add(scalar((String) element, type, dbType));
            }
        }
        return out;
    }

    /** One non-null value from its PostgreSQL text form. */
    public static Object scalar(String text, ColumnType type, String dbType) {
        return switch (type) {
            case INTEGER -> Long.parseLong(text);
            case DECIMAL -> CanonicalForms.decimal(text);
            case FLOAT -> floating(text, dbType);
            case BOOLEAN -> text.equals("t") || text.equalsIgnoreCase("true");
            case UUID -> CanonicalForms.uuid(text);
            case TIMESTAMPTZ -> CanonicalTemporal.formatTimestamptz(CanonicalTemporal.parseTimestamptz(isoYear(text)));
            case TIMESTAMP -> CanonicalTemporal.formatTimestamp(CanonicalTemporal.parseTimestamp(isoYear(text)));
            case DATE -> CanonicalTemporal.formatDate(CanonicalTemporal.parseDate(isoYear(text)));
            case TIME -> CanonicalTemporal.formatTime(CanonicalTemporal.parseTime(text));
            case JSON -> json(text);
            case BYTES -> bytes(text);
            default -> text;
        };
    }

    /** A real is widened exactly to double, as PostgreSQL widens it when comparing with float8. */
    static Object floating(String text, String dbType) {
        return dbType.equals("float4")
                ? CanonicalForms.float32(Float.parseFloat(text))
                : CanonicalForms.float64(Double.parseDouble(text));
    }

    private static String bytes(String text) {
        if (!text.startsWith("\\x")) {
            throw new IllegalArgumentException("bytea text is not in hex format; set bytea_output = 'hex'");
        }
        return CanonicalForms.bytes(HexFormat.of().parseHex(text, 2, text.length()));
    }

    /**
     * PostgreSQL writes years before 1 AD as {@code 0044-03-15 BC}; ISO-8601 (and the
     * canonical form) as {@code -0043-03-15}, with a year 0. Rewrites the former as the latter.
     */
    static String isoYear(String text) {
        if (!text.endsWith(" BC")) {
            return text;
        }
        String body = text.substring(0, text.length() - 3);
        int dash = body.indexOf('-');
        long year = 1 - Long.parseLong(body.substring(0, dash));
        String digits = String.format("%04d", Math.abs(year));
        return (year < 0 ? "-" : "") + digits + body.substring(dash);
    }
}
