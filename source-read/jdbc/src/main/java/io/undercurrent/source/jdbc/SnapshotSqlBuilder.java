package io.undercurrent.source.jdbc;

import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a live query's snapshot as SQL with exactly the semantics of {@link
 * io.undercurrent.query.RowMatcher}: {@code SELECT} of the requested fields plus the primary key
 * (the edge needs every row's key), {@code WHERE} the filter, {@code ORDER BY} the requested order
 * then the key (a stable order for equal sort values), {@code LIMIT}.
 *
 * <p>Every value is a bind parameter; identifiers come only from the {@link TableSchema} (never from
 * client text) and are quoted by the {@link SqlDialect}, which also says how each column is compared
 * and ordered. Stateless and thread-safe.
 */
public final class SnapshotSqlBuilder {

    private final SqlDialect dialect;

    public SnapshotSqlBuilder(SqlDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

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
                ", ",
                selected(query, schema).stream()
                        .map(name -> dialect.selectExpression(schema.column(name)))
                        .toList()));
        sql.append(" FROM ")
                .append(dialect.quote(schema.schemaName()))
                .append('.')
                .append(dialect.quote(schema.tableName()));
        if (!(query.where() instanceof Filter.And and && and.operands().isEmpty())) {
            sql.append(" WHERE ");
            dialect.filterWriter(schema, sql, params).write(query.where(), "where");
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

    private List<String> orderBy(LiveQuery query, TableSchema schema) {
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
                out.add(dialect.orderTerm(column, o.direction()));
            }
        }
        // Keys are never NULL: no NULL placement to spell.
        for (String key : schema.primaryKey()) {
            if (ordered.add(key)) {
                out.add(dialect.columnExpression(schema.column(key)) + " ASC");
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
