package io.undercurrent.rules;

import java.util.Objects;

/**
 * A table (or collection) of one configured source, as rules and change events name it.
 *
 * <p>Immutable and cheap to compare; callers on the hot path should keep one instance per table
 * rather than building a new one per change.
 *
 * @param source the configured source name, e.g. {@code "app"}; never null or blank
 * @param table the qualified table name as the change events carry it, e.g. {@code "public.todos"}
 *     (Postgres {@code schema.table}, MySQL {@code database.table}, MongoDB {@code database.collection});
 *     never null or blank
 */
public record TableRef(String source, String table) {

    public TableRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank");
        }
        if (table.isBlank()) {
            throw new IllegalArgumentException("table must not be blank");
        }
    }

    /** {@code source/table}, e.g. {@code app/public.todos}. */
    @Override
    public String toString() {
        return source + "/" + table;
    }
}
