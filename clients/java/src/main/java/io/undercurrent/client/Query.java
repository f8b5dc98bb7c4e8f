package io.undercurrent.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a live query asks for: a table, and optionally a filter, the fields to send, an order and a
 * limit. Immutable; each method returns a new query.
 *
 * <pre>{@code
 * Query.table("public.todos")
 *      .where(Map.of("done", Map.of("eq", false)))
 *      .orderBy("created_at", Query.Order.DESC)
 *      .limit(50)
 * }</pre>
 *
 * The {@code where} filter is data in the protocol's form (PROTOCOL.md): column name to operators
 * ({@code eq ne lt lte gt gte in nin isNull}), plus {@code and}, {@code or}, {@code not}.
 */
public final class Query {

    public enum Order {
        ASC,
        DESC
    }

    private final String source;
    private final String table;
    private final Map<String, ?> where;
    private final List<String> fields;
    private final List<List<String>> orderBy;
    private final Integer limit;

    private Query(
            String source,
            String table,
            Map<String, ?> where,
            List<String> fields,
            List<List<String>> orderBy,
            Integer limit) {
        this.source = source;
        this.table = table;
        this.where = where;
        this.fields = fields;
        this.orderBy = orderBy;
        this.limit = limit;
    }

    /** A query of every readable row of {@code table} ({@code schema.table}, for example {@code public.todos}). */
    public static Query table(String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("a live query needs a table, for example \"public.todos\"");
        }
        return new Query(null, table, null, null, List.of(), null);
    }

    /** The configured source the table belongs to; the server's default source when not set. */
    public Query source(String source) {
        return new Query(Objects.requireNonNull(source, "source"), table, where, fields, orderBy, limit);
    }

    /** The filter, for example {@code Map.of("owner_id", Map.of("eq", "alice"))}. */
    public Query where(Map<String, ?> where) {
        Objects.requireNonNull(where, "where");
        return new Query(
                source,
                table,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(where)),
                fields,
                orderBy,
                limit);
    }

    /** The columns to send; the key columns are always sent. */
    public Query fields(String... fields) {
        return new Query(source, table, where, List.of(fields), orderBy, limit);
    }

    /** Adds an order column; call again for the next one. */
    public Query orderBy(String column, Order order) {
        List<List<String>> more = new ArrayList<>(orderBy);
        more.add(List.of(Objects.requireNonNull(column, "column"), order.name().toLowerCase(java.util.Locale.ROOT)));
        return new Query(source, table, where, fields, List.copyOf(more), limit);
    }

    /** Keeps only the first {@code limit} rows in {@code orderBy} order. */
    public Query limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return new Query(source, table, where, fields, orderBy, limit);
    }

    public String table() {
        return table;
    }

    /** The query's part of a subscribe frame. */
    Map<String, Object> toFrame() {
        Map<String, Object> frame = new LinkedHashMap<>();
        if (source != null) {
            frame.put("source", source);
        }
        frame.put("table", table);
        if (where != null) {
            frame.put("where", where);
        }
        if (fields != null) {
            frame.put("fields", fields);
        }
        if (!orderBy.isEmpty()) {
            frame.put("orderBy", orderBy);
        }
        if (limit != null) {
            frame.put("limit", limit);
        }
        return frame;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Query q && toFrame().equals(q.toFrame());
    }

    @Override
    public int hashCode() {
        return toFrame().hashCode();
    }

    @Override
    public String toString() {
        return "Query" + toFrame();
    }
}
