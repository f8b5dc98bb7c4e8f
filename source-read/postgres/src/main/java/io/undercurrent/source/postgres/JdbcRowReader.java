package io.undercurrent.source.postgres;

import io.undercurrent.change.value.CanonicalForms;
import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.ResultRowReader;
import io.undercurrent.source.postgres.internal.PgTextValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads a JDBC row of one table into canonical row values (the change contract's table),
 * the same values ingest produces from the replication log for that row, so snapshot
 * rows and change events compare equal. Columns are matched to the {@link TableSchema}
 * by result-set label; every label must be one of the table's columns.
 *
 * <p>Timestamps are read through {@code java.time} (exact in both of the PostgreSQL
 * driver's transfer formats and for any session time zone); {@code infinity} and
 * {@code -infinity} come out as those strings. A {@code real} is widened exactly to
 * {@code double}. The forms are written by the change contract's one definition
 * ({@code CanonicalTemporal}, {@code CanonicalForms}), as ingest writes them. Stateless and thread-safe; the caller owns the result set.
 */
public final class JdbcRowReader extends ResultRowReader {
    public JdbcRowReader(TableSchema schema) {
        super(schema);
    }

    @Override
    protected Object value(ResultSet rs, int i, Column column) throws SQLException {
        Object v = switch (column.type()) {
            case INTEGER -> rs.getLong(i);
            case DECIMAL -> decimal(rs.getString(i));
            case FLOAT -> floating(rs, i, column);
            case BOOLEAN -> rs.getBoolean(i);
            case TEXT, OTHER -> rs.getString(i);
            case UUID -> lower(rs.getString(i));
            case TIMESTAMPTZ -> timestamptz(rs.getObject(i, OffsetDateTime.class));
            case TIMESTAMP -> timestamp(rs.getObject(i, LocalDateTime.class));
            case DATE -> date(rs.getObject(i, LocalDate.class));
            case TIME -> time(rs.getObject(i, LocalTime.class));
            case JSON -> json(rs.getString(i));
            case ARRAY -> array(rs.getString(i), column);
            case BYTES -> bytes(rs.getBytes(i));
        };
        return rs.wasNull() ? null : v;
    }

    private static Object decimal(String text) {
        return text == null ? null : CanonicalForms.decimal(text);
    }

    private static Object floating(ResultSet rs, int i, Column column) throws SQLException {
        return column.dbType().equals("float4")
                ? CanonicalForms.float32(rs.getFloat(i))
                : CanonicalForms.float64(rs.getDouble(i));
    }

    private static String lower(String s) {
        return s == null ? null : CanonicalForms.uuid(s);
    }

    private static String timestamptz(OffsetDateTime t) {
        if (t == null) {
            return null;
        }
        // The driver maps infinity to the extreme values, which PostgreSQL itself cannot hold.
        if (t.equals(OffsetDateTime.MAX) || t.toInstant().equals(OffsetDateTime.MAX.toInstant())) {
            return "infinity";
        }
        if (t.equals(OffsetDateTime.MIN) || t.toInstant().equals(OffsetDateTime.MIN.toInstant())) {
            return "-infinity";
        }
        return CanonicalTemporal.formatTimestamptz(CanonicalTemporal.fromUnix(t.toEpochSecond(), t.getNano()));
    }

    private static String timestamp(LocalDateTime t) {
        if (t == null) {
            return null;
        }
        if (t.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (t.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        return CanonicalTemporal.formatTimestamp(
                CanonicalTemporal.fromUnix(t.toEpochSecond(ZoneOffset.UTC), t.getNano()));
    }

    private static String date(LocalDate d) {
        if (d == null) {
            return null;
        }
        if (d.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (d.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        return CanonicalTemporal.formatDate(d.toEpochDay());
    }

    private static String time(LocalTime t) {
        if (t == null) {
            return null;
        }
        // PostgreSQL keeps microseconds, so a nanosecond remainder can only be the driver's
        // stand-in for 24:00:00 (LocalTime.MAX).
        if (t.getNano() % 1000 != 0) {
            return CanonicalTemporal.formatTime(CanonicalTemporal.MICROS_PER_DAY);
        }
        return CanonicalTemporal.formatTime(t.toNanoOfDay() / 1000);
    }

    private static Object json(String text) {
        return text == null ? null : PgTextValues.json(text);
    }

    private static Object array(String text, Column column) {
        return text == null ? null : PgTextValues.array(text, column.elementType(), column.dbType());
    }

    private static String bytes(byte[] b) {
        return b == null ? null : CanonicalForms.bytes(b);
    }
}
