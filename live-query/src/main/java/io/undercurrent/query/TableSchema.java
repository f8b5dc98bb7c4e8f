package io.undercurrent.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of one table as the live-query model needs it: its columns in
 * declaration order with their canonical {@link ColumnType} and database type
 * name, and its primary key. Immutable and thread-safe; travels inside Kafka
 * records as JSON (Jackson reads and writes it as a plain record).
 *
 * @param source     the configured source (database) the table lives in; {@code null} means the default source
 * @param table      {@code schema.table}, exactly as spelled in the catalog (case-sensitive, unquoted);
 *                   the schema part must not contain a dot
 * @param columns    every column in declaration order; names are unique
 * @param primaryKey the primary-key column names in key order; empty when the table has none
 *                   (a view, for instance), in which case snapshots have no stable order of their own
 */
public record TableSchema(String source, String table, List<Column> columns, List<String> primaryKey) {

    /**
     * One column.
     *
     * @param name        the column name exactly as in the catalog
     * @param type        its canonical kind
     * @param dbType      the database's type name: {@code int8}, {@code numeric}, {@code bpchar},
     *                    {@code citext}, an enum's name, {@code _int4} for arrays...; domains are
     *                    resolved to their base type
     * @param elementType for {@link ColumnType#ARRAY} the kind of the elements, otherwise {@code null}
     */
    public record Column(
            String name,
            ColumnType type,
            String dbType,
            @JsonInclude(JsonInclude.Include.NON_NULL) ColumnType elementType) {
        public Column {
            Objects.requireNonNull(name, "column name");
            Objects.requireNonNull(type, "column type");
            Objects.requireNonNull(dbType, "column dbType");
            if ((type == ColumnType.ARRAY) != (elementType != null)) {
                throw new IllegalArgumentException(
                        "column \"" + name + "\": elementType must be set for ARRAY columns and only for them");
            }
        }

        /** A non-array column. */
        public Column(String name, ColumnType type, String dbType) {
            this(name, type, dbType, null);
        }

        /** Postgres {@code char(n)}: compared with trailing spaces ignored, as the database does. */
        @JsonIgnore
        public boolean isBlankPadded() {
            return "bpchar".equals(dbType);
        }
    }

    public TableSchema {
        Objects.requireNonNull(table, "table");
        if (table.indexOf('.') <= 0 || table.endsWith(".")) {
            throw new IllegalArgumentException("table \"" + table + "\" must be written schema.table");
        }
        columns = List.copyOf(columns);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table \"" + table + "\" has no columns");
        }
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("table \"" + table + "\" lists column \"" + c.name() + "\" twice");
            }
        }
        for (String key : primaryKey) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException(
                        "table \"" + table + "\": primary-key column \"" + key + "\" is not one of its columns");
            }
        }
    }

    /** The column called {@code name} (exact, case-sensitive match), or {@code null} if there is none. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The schema part of {@link #table()}: everything before the first dot. */
    public String schemaName() {
        return table.substring(0, table.indexOf('.'));
    }

    /** The table part of {@link #table()}: everything after the first dot. */
    public String tableName() {
        return table.substring(table.indexOf('.') + 1);
    }
}
