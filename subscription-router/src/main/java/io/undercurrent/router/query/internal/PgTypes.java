package io.undercurrent.router.query.internal;

import io.undercurrent.router.query.ColumnType;
import java.util.Map;

/** PostgreSQL type names: which canonical kind each is, and how to show it to a person. */
public final class PgTypes {
    private static final Map<String, ColumnType> KINDS = Map.ofEntries(
            Map.entry("int2", ColumnType.INTEGER), Map.entry("int4", ColumnType.INTEGER),
            Map.entry("int8", ColumnType.INTEGER), Map.entry("numeric", ColumnType.DECIMAL),
            Map.entry("float4", ColumnType.FLOAT), Map.entry("float8", ColumnType.FLOAT),
            Map.entry("bool", ColumnType.BOOLEAN), Map.entry("text", ColumnType.TEXT),
            Map.entry("varchar", ColumnType.TEXT), Map.entry("bpchar", ColumnType.TEXT),
            Map.entry("citext", ColumnType.TEXT), Map.entry("name", ColumnType.TEXT),
            Map.entry("uuid", ColumnType.UUID), Map.entry("timestamptz", ColumnType.TIMESTAMPTZ),
            Map.entry("timestamp", ColumnType.TIMESTAMP), Map.entry("date", ColumnType.DATE),
            Map.entry("time", ColumnType.TIME), Map.entry("json", ColumnType.JSON),
            Map.entry("jsonb", ColumnType.JSON), Map.entry("bytea", ColumnType.BYTES));

    private static final Map<String, String> DISPLAY = Map.ofEntries(
            Map.entry("int2", "smallint"), Map.entry("int4", "integer"), Map.entry("int8", "bigint"),
            Map.entry("float4", "real"), Map.entry("float8", "double precision"),
            Map.entry("bool", "boolean"), Map.entry("bpchar", "character"),
            Map.entry("varchar", "character varying"), Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"), Map.entry("time", "time without time zone"),
            Map.entry("timetz", "time with time zone"));

    private PgTypes() {
    }

    /**
     * The kind of a non-array, non-domain type.
     *
     * @param typname the {@code pg_type.typname}
     * @param typtype the {@code pg_type.typtype} ({@code e} for enums)
     */
    public static ColumnType kindOf(String typname, char typtype) {
        if (typtype == 'e') {
            return ColumnType.TEXT;
        }
        return KINDS.getOrDefault(typname, ColumnType.OTHER);
    }

    /** The name SQL users know a type by ({@code bigint} for {@code int8}; arrays as {@code integer[]}). */
    public static String display(String dbType) {
        if (dbType.startsWith("_")) {
            return display(dbType.substring(1)) + "[]";
        }
        return DISPLAY.getOrDefault(dbType, dbType);
    }
}
