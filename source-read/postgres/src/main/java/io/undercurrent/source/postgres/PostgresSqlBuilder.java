package io.undercurrent.source.postgres;

import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.postgres.internal.SqlFilterWriter;
import io.undercurrent.source.postgres.internal.SqlText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a live query's snapshot as PostgreSQL SQL with exactly the semantics of
 * {@link io.undercurrent.query.RowMatcher}: {@code SELECT} of the requested fields plus the primary key (the
 * edge needs every row's key), {@code WHERE} the filter, {@code ORDER BY} the requested
 * order then the key (a stable order for equal sort values), {@code LIMIT}.
 *
 * <p>Every value is a bind parameter; identifiers come only from the {@link TableSchema}
 * (never from client text) and are double-quoted. Text-like columns are compared and
 * sorted as {@code text COLLATE "C"}, i.e. by code point, which the in-memory matcher
 * reproduces; a default-collation index on such a column does not serve those
 * comparisons (an index {@code ON t (col COLLATE "C")} does). Stateless and thread-safe.
 */
public final class PostgresSqlBuilder {

    /**
     * The snapshot statement for {@code query}.
     *
     * @throws InvalidQueryException if the query names columns or uses values the table does not
     *                               fit (possible for a query read back from JSON after the table changed)
     */
    public SqlQuery snapshot(LiveQuery query, TableSchema schema) {
        StringBuilder sql = new StringBuilder(256).append("SELECT ");
        List<Object> params = new ArrayList<>();
        sql.append(String.join(
                ", ", selected(query, schema).stream().map(SqlText::quote).toList()));
        sql.append(" FROM ")
                .append(SqlText.quote(schema.schemaName()))
                .append('.')
                .append(SqlText.quote(schema.tableName()));
        if (!(query.where() instanceof Filter.And and && and.operands().isEmpty())) {
            sql.append(" WHERE ");
            new SqlFilterWriter(schema, sql, params).write(query.where(), "where");
        }
        List<String> order = orderBy(query, schema);
        if (!order.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", order));
        }
        if (query.limit() != null) {
            if (query.limit() < 1) {
                throw new InvalidQueryException("limit", "expected a whole number of at least 1");
            }
            sql.append(" LIMIT ?");
            params.add(query.limit());
        }
        return new SqlQuery(sql.toString(), params);
    }

    /** The requested fields (all columns when none) followed by any primary-key column missing from them. */
    private static List<String> selected(LiveQuery query, TableSchema schema) {
        Set<String> names = new LinkedHashSet<>();
        if (query.fields() == null) {
            schema.columns().forEach(c -> names.add(c.name()));
        } else {
            for (int i = 0; i < query.fields().size(); i++) {
                names.add(column(schema, query.fields().get(i), "fields[" + i + "]")
                        .name());
            }
        }
        names.addAll(schema.primaryKey());
        return new ArrayList<>(names);
    }

    private static List<String> orderBy(LiveQuery query, TableSchema schema) {
        List<String> out = new ArrayList<>();
        Set<String> ordered = new LinkedHashSet<>();
        for (int i = 0; i < query.orderBy().size(); i++) {
            LiveQuery.Order o = query.orderBy().get(i);
            Column column = column(schema, o.column(), "orderBy[" + i + "][0]");
            if (!column.type().isOrdered()) {
                throw new InvalidQueryException(
                        "orderBy[" + i + "][0]", "cannot order by column \"" + column.name() + "\"");
            }
            if (ordered.add(column.name())) {
                // ASC puts NULLs last and DESC first, PostgreSQL's defaults, spelled out for readers.
                out.add(SqlText.columnExpression(column)
                        + (o.direction() == LiveQuery.Direction.DESC ? " DESC NULLS FIRST" : " ASC NULLS LAST"));
            }
        }
        for (String key : schema.primaryKey()) {
            if (ordered.add(key)) {
                out.add(SqlText.columnExpression(schema.column(key)) + " ASC");
            }
        }
        return out;
    }

    private static Column column(TableSchema schema, String name, String path) {
        Column column = schema.column(name);
        if (column == null) {
            throw new InvalidQueryException(path, "unknown column \"" + name + "\" in table " + schema.table());
        }
        return column;
    }
}
