package io.undercurrent.source.postgres.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.FilterChecks;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.List;

/**
 * Writes a {@link Filter} as a SQL boolean expression with {@code ?} parameters, checking
 * it against the schema the way the in-memory matcher ({@code io.undercurrent.query.internal.MatcherCompiler}) does. Three-valued logic needs no
 * translation: SQL has it. The only care is where SQL has no syntax of its own (empty
 * {@code and}/{@code or}/{@code in}) and where NULL constants become literal {@code NULL}s.
 * Not thread-safe: one instance per statement.
 */
public final class SqlFilterWriter {
    private final TableSchema schema;
    private final StringBuilder sql;
    private final List<Object> params;

    /** Appends to {@code sql} and {@code params}. */
    public SqlFilterWriter(TableSchema schema, StringBuilder sql, List<Object> params) {
        this.schema = schema;
        this.sql = sql;
        this.params = params;
    }

    /** Appends {@code filter}; {@code path} prefixes error messages. */
    public void write(Filter filter, String path) {
        if (filter instanceof Filter.And and) {
            junction(and.operands(), " AND ", "TRUE", JsonPaths.key(path, "and"));
        } else if (filter instanceof Filter.Or or) {
            junction(or.operands(), " OR ", "FALSE", JsonPaths.key(path, "or"));
        } else if (filter instanceof Filter.Not not) {
            sql.append("(NOT ");
            write(not.operand(), JsonPaths.key(path, "not"));
            sql.append(')');
        } else if (filter instanceof Filter.IsNull n) {
            isNull(column(n.column(), path), n.isNull());
        } else if (filter instanceof Filter.Comparison c) {
            comparison(c, path);
        } else {
            in((Filter.In) filter, path);
        }
    }

    /**
     * A json document {@code null} reads as a Java {@code null} in the canonical row, so the
     * matcher cannot tell it from SQL NULL; the SQL side treats it as NULL too.
     */
    private void isNull(Column column, boolean isNull) {
        String q = SqlText.quote(column.name());
        if (column.type() == ColumnType.JSON) {
            String typeOf = column.dbType().equals("jsonb") ? "jsonb_typeof(" : "json_typeof(";
            sql.append(
                    isNull
                            ? "(" + q + " IS NULL OR " + typeOf + q + ") = 'null')"
                            : "(" + q + " IS NOT NULL AND " + typeOf + q + ") <> 'null')");
        } else {
            sql.append('(').append(q).append(isNull ? " IS NULL)" : " IS NOT NULL)");
        }
    }

    private void junction(List<Filter> operands, String operator, String empty, String path) {
        if (operands.isEmpty()) {
            sql.append(empty);
            return;
        }
        sql.append('(');
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) {
                sql.append(operator);
            }
            write(operands.get(i), JsonPaths.index(path, i));
        }
        sql.append(')');
    }

    private void comparison(Filter.Comparison c, String path) {
        Column column = column(c.column(), path);
        String opPath =
                JsonPaths.key(JsonPaths.key(path, c.column()), c.operator().jsonName());
        FilterChecks.checkApplies(column, c.operator().jsonName(), c.operator().isOrdering(), opPath);
        Object value = ValueCoercion.coerce(column, c.value(), opPath, null);
        if (value == null) {
            // column <op> NULL is never true, whatever the column holds.
            sql.append("CAST(NULL AS boolean)");
            return;
        }
        sql.append('(')
                .append(SqlText.columnExpression(column))
                .append(' ')
                .append(c.operator().sql())
                .append(' ');
        constant(column, value);
        sql.append(')');
    }

    private void in(Filter.In in, String path) {
        Column column = column(in.column(), path);
        String op = in.negated() ? "nin" : "in";
        String opPath = JsonPaths.key(JsonPaths.key(path, in.column()), op);
        FilterChecks.checkApplies(column, op, false, opPath);
        if (in.values().isEmpty()) {
            // SQL has no empty IN list; x IN () would be FALSE even for a NULL x, as = ANY('{}') is.
            sql.append(in.negated() ? "TRUE" : "FALSE");
            return;
        }
        sql.append('(').append(SqlText.columnExpression(column)).append(in.negated() ? " NOT IN (" : " IN (");
        for (int i = 0; i < in.values().size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            Object value = ValueCoercion.coerce(column, in.values().get(i), JsonPaths.index(opPath, i), null);
            if (value == null) {
                sql.append("NULL");
            } else {
                constant(column, value);
            }
        }
        sql.append("))");
    }

    private void constant(Column column, Object canonical) {
        sql.append(SqlText.placeholder(column, canonical));
        params.add(SqlText.parameter(column, canonical));
    }

    private Column column(String name, String path) {
        Column column = schema.column(name);
        if (column == null) {
            throw new InvalidQueryException(
                    JsonPaths.key(path, name),
                    "unknown column " + JsonPaths.quote(name) + " in table " + schema.table());
        }
        return column;
    }
}
