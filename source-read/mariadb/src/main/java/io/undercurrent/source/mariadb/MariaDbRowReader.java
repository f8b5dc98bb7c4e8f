package io.undercurrent.source.mariadb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.value.CanonicalForms;
import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.ResultRowReader;
import io.undercurrent.source.mariadb.internal.MariaDbTypes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads a JDBC row of one MariaDB table into canonical row values (the change contract's table), the
 * same values ingest produces from the binlog for that row, so snapshot rows and change events compare
 * equal:
 *
 * <ul>
 *   <li>{@code TINYINT(1)} (BOOLEAN) is {@code true} when above zero, as Debezium's converter decides
 *       ({@code -1} is {@code false}); {@code BIT(1)} is a boolean;</li>
 *   <li>{@code BIGINT UNSIGNED} is an exact {@code BigDecimal} (scale 0), other integers and
 *       {@code YEAR} are {@code Long};</li>
 *   <li>single-precision {@code FLOAT} is the float widened exactly to a {@code Double}
 *       ({@code 1.100000023841858}, not {@code 1.1}; {@code CanonicalForms.float32}); it must be selected
 *       widened to {@code DOUBLE}
 *       ({@link MariaDbSqlBuilder} does), since its own text has only six significant digits;</li>
 *   <li>{@code TIMESTAMP} is read in UTC (the pool sets the session's zone) with a {@code Z};
 *       {@code DATETIME} as a local date-time; {@code TIME} keeps its hours and sign
 *       ({@code -838:59:59.000000}); zero dates ({@code 0000-00-00}) read as null;</li>
 *   <li>MariaDB's {@code JSON} (a {@code LONGTEXT}) is its text; a MySQL {@code JSON} column is parsed.</li>
 * </ul>
 *
 * Stateless and thread-safe; the caller owns the result set.
 */
public final class MariaDbRowReader extends ResultRowReader {
    private static final ObjectMapper JSON = ChangeEventCodec.canonicalMapper();

    public MariaDbRowReader(TableSchema schema) {
        super(schema);
    }

    @Override
    protected Object value(ResultSet rs, int i, Column column) throws SQLException {
        String type = column.dbType();
        Object v = switch (column.type()) {
            case INTEGER -> MariaDbTypes.isUnsignedBigint(type) ? rs.getBigDecimal(i) : (Object) rs.getLong(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case FLOAT ->
                MariaDbTypes.isSinglePrecision(type)
                        ? CanonicalForms.float32((float) rs.getDouble(i))
                        : (Object) rs.getDouble(i);
            case BOOLEAN -> MariaDbTypes.isBit(type) ? rs.getBoolean(i) : rs.getLong(i) > 0;
            case UUID -> lower(rs.getString(i));
            case TIMESTAMPTZ -> temporal(rs.getString(i), Temporal.ZONED);
            case TIMESTAMP -> temporal(rs.getString(i), Temporal.LOCAL);
            case DATE -> temporal(rs.getString(i), Temporal.DAY);
            case TIME -> time(rs.getString(i));
            case JSON -> json(rs.getString(i));
            case BYTES -> bytes(rs.getBytes(i));
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    private enum Temporal {
        ZONED,
        LOCAL,
        DAY
    }

    /** The text the server sends ({@code 2024-05-01 12:00:00.500}) in canonical form; zero dates as null. */
    private static String temporal(String text, Temporal kind) {
        if (text == null || text.startsWith("0000-00-00")) {
            return null;
        }
        return switch (kind) {
            case ZONED -> CanonicalTemporal.formatTimestamptz(CanonicalTemporal.parseTimestamptz(text + "Z"));
            case LOCAL -> CanonicalTemporal.formatTimestamp(CanonicalTemporal.parseTimestamp(text));
            case DAY -> CanonicalTemporal.formatDate(CanonicalTemporal.parseDate(text));
        };
    }

    /**
     * A {@code TIME}, a duration from {@code -838:59:59} to {@code 838:59:59}, as ingest prints it:
     * {@code HH:mm:ss.SSSSSS} with as many hour digits as needed and a leading minus when negative.
     */
    static String time(String text) {
        if (text == null) {
            return null;
        }
        boolean negative = text.startsWith("-");
        String s = negative ? text.substring(1) : text;
        String[] hms = s.split(":");
        long hours = Long.parseLong(hms[0]);
        long minutes = Long.parseLong(hms[1]);
        String secondsText = hms.length > 2 ? hms[2] : "0";
        int dot = secondsText.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? secondsText : secondsText.substring(0, dot));
        long micros = 0;
        if (dot >= 0) {
            String fraction = (secondsText.substring(dot + 1) + "000000").substring(0, 6);
            micros = Long.parseLong(fraction);
        }
        return String.format(
                Locale.ROOT, "%s%02d:%02d:%02d.%06d", negative ? "-" : "", hours, minutes, seconds, micros);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static Object json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database sent a json value that does not parse: " + e.getMessage(), e);
        }
    }

    private static String bytes(byte[] b) {
        return b == null ? null : Base64.getEncoder().encodeToString(b);
    }
}
