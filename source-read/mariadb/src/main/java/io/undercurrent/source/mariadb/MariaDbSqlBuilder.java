package io.undercurrent.source.mariadb;

import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.mariadb.internal.MariaSqlFilterWriter;
import io.undercurrent.source.mariadb.internal.MariaSqlText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a live query's snapshot as MariaDB SQL with exactly the semantics of
 * {@link io.undercurrent.query.RowMatcher}: {@code SELECT} of the requested fields plus the primary
 * key, {@code WHERE} the filter, {@code ORDER BY} the requested order then the key, {@code LIMIT}.
 *
 * <p>Every value is a bind parameter; identifiers come only from the {@link TableSchema} and are
 * quoted with backticks. Text is compared and ordered as UTF-8 bytes (code-point order, case and
 * trailing spaces significant), which no index on a case-insensitive collation serves; see
 * {@link MariaSqlText}. NULLs sort last ascending and first descending, as PostgreSQL sorts them.
 * Stateless and thread-safe.
 */
public final class MariaDbSqlBuilder {

    /**
     * The snapshot statement for {@code query}.
     *
     * @throws InvalidQueryException if the query names columns or uses values the table does not fit
     */
    public SqlQuery snapshot(LiveQuery query, TableSchema schema) {
        StringBuilder sql = new StringBuilder(256).append("SELECT ");
        List<Object> params = new ArrayList<>();
        sql.append(String.join(
                ", ",
                selected(query, schema).stream()
                        .map(name -> MariaSqlText.selectExpression(schema.column(name)))
                        .toList()));
        sql.append(" FROM ")
                .append(MariaSqlText.quote(schema.schemaName()))
                .append('.')
                .append(MariaSqlText.quote(schema.tableName()));
        if (!(query.where() instanceof Filter.And and && and.operands().isEmpty())) {
            sql.append(" WHERE ");
            new MariaSqlFilterWriter(schema, sql, params).write(query.where(), "where");
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
                // MariaDB sorts NULLs first ascending; PostgreSQL's order (NULLS LAST ascending, FIRST
                // descending) is spelled out so every source orders a window alike.
                String q = MariaSqlText.quote(column.name());
                String e = MariaSqlText.columnExpression(column);
                out.add(
                        o.direction() == LiveQuery.Direction.DESC
                                ? q + " IS NULL DESC, " + e + " DESC"
                                : q + " IS NULL ASC, " + e + " ASC");
            }
        }
        for (String key : schema.primaryKey()) {
            if (ordered.add(key)) {
                out.add(MariaSqlText.columnExpression(schema.column(key)) + " ASC");
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
