package io.undercurrent.source.postgres.internal;

import io.undercurrent.query.Filter;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlFilterWriter;
import java.util.List;

/**
 * A filter in PostgreSQL: each constant a parameter cast to the column's type ({@link
 * SqlText#placeholder}), compared with the column as {@link SqlText#columnExpression} spells it.
 * Not thread-safe: one instance per statement.
 */
final class PgFilterWriter extends SqlFilterWriter {

    PgFilterWriter(PostgresDialect dialect, TableSchema schema, StringBuilder sql, List<Object> params) {
        super(dialect, schema, sql, params);
    }

    @Override
    protected String unknown() {
        return "CAST(NULL AS boolean)";
    }

    @Override
    protected String jsonDocumentNull(Column column, String quoted, boolean isNull) {
        String typeOf = column.dbType().equals("jsonb") ? "jsonb_typeof(" : "json_typeof(";
        return typeOf + quoted + (isNull ? ") = 'null'" : ") <> 'null'");
    }

    @Override
    protected void compare(Column column, Filter.Operator op, Object canonical) {
        sql.append('(')
                .append(SqlText.columnExpression(column))
                .append(' ')
                .append(op.sql())
                .append(' ');
        constant(column, canonical);
        sql.append(')');
    }

    @Override
    protected void in(Column column, boolean negated, List<Object> canonicals) {
        sql.append('(').append(SqlText.columnExpression(column)).append(negated ? " NOT IN (" : " IN (");
        for (int i = 0; i < canonicals.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            if (canonicals.get(i) == null) {
                sql.append("NULL");
            } else {
                constant(column, canonicals.get(i));
            }
        }
        sql.append("))");
    }

    private void constant(Column column, Object canonical) {
        sql.append(SqlText.placeholder(column, canonical));
        params.add(SqlText.parameter(column, canonical));
    }
}
