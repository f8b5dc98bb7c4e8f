package io.undercurrent.source.mariadb.internal;

import io.undercurrent.query.ColumnType;
import java.util.Locale;
import java.util.Map;

/**
 * MariaDB and MySQL column types: which canonical kind each is, as ingest (Debezium's MariaDB or
 * MySQL connector with the settings ingest gives it) delivers the values. The schema reader records
 * {@code information_schema.COLUMNS.COLUMN_TYPE} (e.g. {@code tinyint(1)}, {@code bigint(20) unsigned},
 * {@code float}) as the column's {@code dbType}; the reader and the SQL writer decide by it.
 */
public final class MariaDbTypes {
    private static final Map<String, ColumnType> KINDS = Map.ofEntries(
            Map.entry("tinyint", ColumnType.INTEGER),
            Map.entry("smallint", ColumnType.INTEGER),
            Map.entry("mediumint", ColumnType.INTEGER),
            Map.entry("int", ColumnType.INTEGER),
            Map.entry("bigint", ColumnType.INTEGER),
            Map.entry("year", ColumnType.INTEGER),
            Map.entry("decimal", ColumnType.DECIMAL),
            Map.entry("float", ColumnType.FLOAT),
            Map.entry("double", ColumnType.FLOAT),
            Map.entry("char", ColumnType.TEXT),
            Map.entry("varchar", ColumnType.TEXT),
            Map.entry("tinytext", ColumnType.TEXT),
            Map.entry("text", ColumnType.TEXT),
            Map.entry("mediumtext", ColumnType.TEXT),
            // MariaDB's JSON is an alias of LONGTEXT: ingest delivers its text, so do we.
            Map.entry("longtext", ColumnType.TEXT),
            Map.entry("enum", ColumnType.TEXT),
            Map.entry("set", ColumnType.TEXT),
            // MySQL's JSON is a type of its own: ingest parses it (Debezium's io.debezium.data.Json).
            Map.entry("json", ColumnType.JSON),
            Map.entry("uuid", ColumnType.UUID),
            Map.entry("date", ColumnType.DATE),
            Map.entry("datetime", ColumnType.TIMESTAMP),
            Map.entry("timestamp", ColumnType.TIMESTAMPTZ),
            Map.entry("time", ColumnType.TIME),
            Map.entry("binary", ColumnType.BYTES),
            Map.entry("varbinary", ColumnType.BYTES),
            Map.entry("tinyblob", ColumnType.BYTES),
            Map.entry("blob", ColumnType.BYTES),
            Map.entry("mediumblob", ColumnType.BYTES),
            Map.entry("longblob", ColumnType.BYTES));

    private MariaDbTypes() {}

    /**
     * The kind of a column.
     *
     * @param dataType   {@code information_schema.COLUMNS.DATA_TYPE} ({@code tinyint}, {@code varchar}...)
     * @param columnType {@code information_schema.COLUMNS.COLUMN_TYPE} ({@code tinyint(1) unsigned}...)
     */
    public static ColumnType kindOf(String dataType, String columnType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (isBoolean(columnType)) {
            return ColumnType.BOOLEAN;
        }
        if (type.equals("bit")) {
            // BIT(1) arrives from Debezium as a boolean; wider BITs as bytes in an order of Debezium's
            // own, which a JDBC read does not reproduce: only isNull applies to them.
            return columnType.toLowerCase(Locale.ROOT).equals("bit(1)") ? ColumnType.BOOLEAN : ColumnType.OTHER;
        }
        return KINDS.getOrDefault(type, ColumnType.OTHER);
    }

    /**
     * {@code BOOLEAN} is {@code TINYINT(1)}; ingest turns it into a boolean (Debezium's
     * {@code TinyIntOneToBooleanConverter}, signed or unsigned): true when the value is above zero.
     */
    public static boolean isBoolean(String columnType) {
        String t = columnType.toLowerCase(Locale.ROOT);
        return t.equals("tinyint(1)") || t.equals("tinyint(1) unsigned");
    }

    /** A {@code BIT(1)} column: a boolean, stored as one bit. */
    public static boolean isBit(String columnType) {
        return columnType.toLowerCase(Locale.ROOT).startsWith("bit");
    }

    /** {@code BIGINT UNSIGNED}: ingest delivers it as an exact decimal (it may pass 2^63). */
    public static boolean isUnsignedBigint(String columnType) {
        String t = columnType.toLowerCase(Locale.ROOT);
        return t.startsWith("bigint") && t.endsWith("unsigned");
    }

    /** {@code YEAR}, an integer kind that MariaDB compares as a year. */
    public static boolean isYear(String columnType) {
        return columnType.toLowerCase(Locale.ROOT).startsWith("year");
    }

    /** A single-precision {@code FLOAT}: ingest gives it widened exactly to a double. */
    public static boolean isSinglePrecision(String columnType) {
        return columnType.toLowerCase(Locale.ROOT).startsWith("float");
    }
}
