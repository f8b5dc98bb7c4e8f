package io.undercurrent.query.spi;

import java.util.Map;

/**
 * How a column's database type is shown to a person in messages. Names this class does not know pass
 * through unchanged, so any database's type names work; PostgreSQL's internal names are spelled the
 * way SQL users know them. Stateless.
 */
public final class TypeNames {
    private static final Map<String, String> DISPLAY = Map.ofEntries(
            Map.entry("int2", "smallint"),
            Map.entry("int4", "integer"),
            Map.entry("int8", "bigint"),
            Map.entry("float4", "real"),
            Map.entry("float8", "double precision"),
            Map.entry("bool", "boolean"),
            Map.entry("bpchar", "character"),
            Map.entry("varchar", "character varying"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("time", "time without time zone"),
            Map.entry("timetz", "time with time zone"));

    private TypeNames() {}

    /** The name SQL users know a type by ({@code bigint} for {@code int8}; arrays as {@code integer[]}). */
    public static String display(String dbType) {
        if (dbType.startsWith("_")) {
            return display(dbType.substring(1)) + "[]";
        }
        return DISPLAY.getOrDefault(dbType, dbType);
    }
}
