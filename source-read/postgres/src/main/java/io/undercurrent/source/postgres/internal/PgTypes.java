package io.undercurrent.source.postgres.internal;

import io.undercurrent.query.ColumnType;
import java.util.Map;

/** PostgreSQL type names: which canonical kind each is. How to show one to a person is {@link io.undercurrent.query.spi.TypeNames}. */
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

    private PgTypes() {}

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
}
