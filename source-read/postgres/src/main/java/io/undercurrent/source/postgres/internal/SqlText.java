package io.undercurrent.source.postgres.internal;

import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.CodePoints;
import io.undercurrent.query.spi.JsonPaths;
import java.util.Base64;

/**
 * The SQL spelling of columns and values, chosen so that PostgreSQL compares exactly
 * as the in-memory {@code Operand}s do: text-like columns as {@code text} under
 * {@code COLLATE "C"} (code-point order; {@code char(n)} loses its padding in the cast,
 * {@code citext} and enums become plain text), constants as typed parameters.
 */
public final class SqlText {
    private SqlText() {}

    /** A PostgreSQL identifier in double quotes, inner quotes doubled: always safe to splice. */
    public static String quote(String identifier) {
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid identifier: " + JsonPaths.quote(identifier));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The column as compared and ordered. */
    public static String columnExpression(Column column) {
        String q = quote(column.name());
        return column.type() == ColumnType.TEXT ? "(" + q + "::text COLLATE \"C\")" : q;
    }

    /** A placeholder with the cast that gives {@code value} (see {@link #parameter}) its type. */
    public static String placeholder(Column column, Object canonical) {
        String type = switch (column.type()) {
            case INTEGER -> canonical instanceof Long ? "int8" : "numeric";
            case DECIMAL -> "numeric";
            case FLOAT -> "float8";
            case BOOLEAN -> "boolean";
            case TEXT -> "text";
            case UUID -> "uuid";
            case TIMESTAMPTZ -> "timestamptz";
            case TIMESTAMP -> "timestamp";
            case DATE -> "date";
            case TIME -> "time";
            case BYTES -> "bytea";
            default -> throw new IllegalArgumentException(column.type() + " has no parameter form");
        };
        return "?::" + type;
    }

    /** The JDBC value bound for a non-null canonical constant. */
    public static Object parameter(Column column, Object canonical) {
        return switch (column.type()) {
            case INTEGER, DECIMAL -> canonical;
            case FLOAT -> {
                double d = NonFinite.toDouble(canonical);
                yield Double.isFinite(d) ? (Object) d : NonFinite.name(d);
            }
            case TEXT ->
                column.isBlankPadded()
                        ? ((String) canonical).substring(0, CodePoints.lengthWithoutTrailingSpaces((String) canonical))
                        : canonical;
            case TIMESTAMPTZ ->
                PgLiterals.postgresLiteral(CanonicalTemporal.parseTimestamptz((String) canonical), false, true);
            case TIMESTAMP ->
                PgLiterals.postgresLiteral(CanonicalTemporal.parseTimestamp((String) canonical), false, false);
            case DATE -> PgLiterals.postgresLiteral(CanonicalTemporal.parseDate((String) canonical), true, false);
            case TIME -> canonical;
            case BYTES -> Base64.getDecoder().decode((String) canonical);
            default -> canonical;
        };
    }
}
