package io.undercurrent.source.jdbc;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.FilterChecks;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes a {@link Filter} as a SQL boolean expression with {@code ?} parameters, checking it against
 * the schema the way the in-memory matcher ({@code io.undercurrent.query.internal.MatcherCompiler})
 * does. Three-valued logic needs no translation: SQL has it. The care is where SQL has no syntax of
 * its own (empty {@code and}/{@code or}/{@code in}), where NULL constants become literal {@code
 * NULL}s, and in how each database must be given a constant to compare it as the matcher does,
 * which a dialect's subclass writes ({@link #compare}, {@link #in}).
 *
 * <p>Not thread-safe: one instance per statement.
 */
public abstract class SqlFilterWriter {
    protected final SqlDialect dialect;
    protected final TableSchema schema;
    protected final StringBuilder sql;
    protected final List<Object> params;

    /** Appends to {@code sql} and {@code params}. */
    protected SqlFilterWriter(SqlDialect dialect, TableSchema schema, StringBuilder sql, List<Object> params) {
        this.dialect = dialect;
        this.schema = schema;
        this.sql = sql;
        this.params = params;
    }

    /** Appends {@code filter}; {@code path} prefixes error messages. */
    public final void write(Filter filter, String path) {
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
     * A json document {@code null} reads as a Java {@code null} in the canonical row, so the matcher
     * cannot tell it from SQL NULL; the SQL side treats it as NULL too.
     */
    private void isNull(Column column, boolean isNull) {
        String q = dialect.quote(column.name());
        if (column.type() == ColumnType.JSON) {
            String document = jsonDocumentNull(column, q, isNull);
            sql.append(
                    isNull
                            ? "(" + q + " IS NULL OR " + document + ")"
                            : "(" + q + " IS NOT NULL AND " + document + ")");
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
            sql.append(unknown());
            return;
        }
        compare(column, c.operator(), value);
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
        List<Object> values = new ArrayList<>(in.values().size());
        for (int i = 0; i < in.values().size(); i++) {
            values.add(ValueCoercion.coerce(column, in.values().get(i), JsonPaths.index(opPath, i), null));
        }
        in(column, in.negated(), Collections.unmodifiableList(values));
    }

    /** A boolean NULL: what a comparison with a NULL constant is, whatever the column holds. */
    protected abstract String unknown();

    /**
     * True where the json column {@code quoted} holds the document {@code null} ({@code isNull}), or
     * where it holds another document (not {@code isNull}); asked only of rows where it is not NULL.
     */
    protected abstract String jsonDocumentNull(Column column, String quoted, boolean isNull);

    /** Appends {@code column op constant}, {@code canonical} being the constant's non-null canonical value. */
    protected abstract void compare(Column column, Filter.Operator op, Object canonical);

    /**
     * Appends {@code column [NOT] IN (constants)}: {@code canonicals} is not empty and holds each
     * constant's canonical value, {@code null} for a NULL.
     */
    protected abstract void in(Column column, boolean negated, List<Object> canonicals);

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
