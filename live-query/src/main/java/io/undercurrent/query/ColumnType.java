package io.undercurrent.query;

/**
 * The canonical kind of a column: decides the Java form of its values (see the
 * "canonical row values" table of the change contract), which filter operators
 * apply to it and how its values compare.
 *
 * <p>The database-specific type name (for example {@code int4} or {@code citext})
 * travels beside it in {@link TableSchema.Column#dbType()}; this enum is what
 * every stage after the schema reader reasons about.
 */
public enum ColumnType {
    /** Any integer ({@code int2}, {@code int4}, {@code int8}): {@code Long}. */
    INTEGER,
    /** {@code numeric} / {@code decimal}: exact {@code BigDecimal}; NaN and ±Infinity as strings. */
    DECIMAL,
    /** {@code real}, {@code double precision}: {@code Double}; NaN and ±Infinity as strings. */
    FLOAT,
    /** {@code boolean}: {@code Boolean}. */
    BOOLEAN,
    /** {@code text}, {@code varchar}, {@code char}, {@code citext}, enums: {@code String}. */
    TEXT,
    /** {@code uuid}: lower-case {@code String}. */
    UUID,
    /** {@code timestamp with time zone}: ISO-8601 UTC string with microseconds and {@code Z}. */
    TIMESTAMPTZ,
    /** {@code timestamp without time zone}: ISO-8601 local date-time string with microseconds. */
    TIMESTAMP,
    /** {@code date}: {@code yyyy-MM-dd}. */
    DATE,
    /** {@code time without time zone}: {@code HH:mm:ss.SSSSSS}. */
    TIME,
    /** {@code json}, {@code jsonb}: the parsed value ({@code Map}, {@code List} or a scalar). */
    JSON,
    /** Any array: a {@code List} of canonical element values. */
    ARRAY,
    /** {@code bytea}: standard base64 {@code String}. */
    BYTES,
    /** Anything else (intervals, geometric types, ranges...): the database's text form. */
    OTHER;

    /** True for the numeric kinds, whose values compare numerically whatever their Java class. */
    public boolean isNumeric() {
        return this == INTEGER || this == DECIMAL || this == FLOAT;
    }

    /** True for the date/time kinds, whose string values compare as instants or local date-times. */
    public boolean isTemporal() {
        return this == TIMESTAMPTZ || this == TIMESTAMP || this == DATE || this == TIME;
    }

    /**
     * True when values of this kind have a total order that SQL and the in-memory
     * matcher agree on, so {@code lt}/{@code lte}/{@code gt}/{@code gte} and
     * {@code orderBy} are allowed.
     */
    public boolean isOrdered() {
        return isNumeric() || isTemporal() || this == BOOLEAN || this == TEXT || this == UUID;
    }

    /** True when {@code eq}/{@code ne}/{@code in}/{@code nin} are allowed on this kind. */
    public boolean isEquatable() {
        return isOrdered() || this == BYTES;
    }
}
