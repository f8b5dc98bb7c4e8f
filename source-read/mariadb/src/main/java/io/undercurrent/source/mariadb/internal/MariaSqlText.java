package io.undercurrent.source.mariadb.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.JsonPaths;

/**
 * The MariaDB spelling of columns, chosen so that the database compares and orders exactly as the
 * in-memory {@code Operand}s do. MariaDB's text collations ignore case and accents and pad trailing
 * spaces ({@code 'a' = 'A '} is true under {@code utf8mb4_general_ci}, and even under
 * {@code utf8mb4_bin}, a PAD SPACE collation), so text is compared as its UTF-8 bytes
 * ({@code CAST(CONVERT(col USING utf8mb4) AS BINARY)}), which is code-point order, the matcher's.
 * A {@code UUID} is compared as its lower-case text (MariaDB orders the type by swapped segments);
 * {@code TINYINT(1)} as the boolean ingest makes of it ({@code col > 0}); {@code YEAR} as a number.
 */
public final class MariaSqlText {
    private MariaSqlText() {}

    /** A MariaDB identifier in backticks, inner backticks doubled: always safe to splice. */
    public static String quote(String identifier) {
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid identifier: " + JsonPaths.quote(identifier));
        }
        return '`' + identifier.replace("`", "``") + '`';
    }

    /**
     * The column as selected. A single-precision {@code FLOAT} travels as text with six significant
     * digits ({@code 16777216} as {@code 1.67772e7}), so it is widened to {@code DOUBLE}, whose text
     * is exact; the reader narrows it back.
     */
    public static String selectExpression(Column column) {
        String q = quote(column.name());
        return column.type() == ColumnType.FLOAT && MariaDbTypes.isSinglePrecision(column.dbType())
                ? "CAST(" + q + " AS DOUBLE) AS " + q
                : q;
    }

    /** The column as compared and ordered. */
    public static String columnExpression(Column column) {
        String q = quote(column.name());
        return switch (column.type()) {
            case TEXT -> "CAST(CONVERT(" + q + " USING utf8mb4) AS BINARY)";
            case UUID -> "CAST(CAST(" + q + " AS CHAR) AS BINARY)";
            case BOOLEAN -> MariaDbTypes.isBit(column.dbType()) ? "(" + q + " <> 0)" : "(" + q + " > 0)";
            // YEAR turns a constant into a year before comparing (1900.5 becomes 1901): compare a number.
            case INTEGER -> MariaDbTypes.isYear(column.dbType()) ? "(" + q + " + 0)" : q;
            default -> q;
        };
    }

    /** A placeholder for a constant of the column's kind, typed so it compares with {@link #columnExpression}. */
    public static String placeholder(Column column) {
        ColumnType type = column.type();
        return switch (type) {
            case FLOAT -> "CAST(? AS DOUBLE)";
            case TEXT -> "CAST(CONVERT(? USING utf8mb4) AS BINARY)";
            case UUID -> "CAST(? AS BINARY)";
            case DATE -> "CAST(? AS DATE)";
            case TIMESTAMP, TIMESTAMPTZ -> "CAST(? AS DATETIME(6))";
            case TIME -> "CAST(? AS TIME(6))";
            default -> "?";
        };
    }
}
