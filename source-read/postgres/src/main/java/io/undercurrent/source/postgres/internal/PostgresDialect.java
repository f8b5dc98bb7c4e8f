package io.undercurrent.source.postgres.internal;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlDialect;
import io.undercurrent.source.jdbc.SqlFilterWriter;
import java.util.List;

/** PostgreSQL's spelling of a snapshot statement: see {@link SqlText}. Stateless and thread-safe. */
public final class PostgresDialect implements SqlDialect {

    @Override
    public String quote(String identifier) {
        return SqlText.quote(identifier);
    }

    @Override
    public String columnExpression(Column column) {
        return SqlText.columnExpression(column);
    }

    /** ASC puts NULLs last and DESC first, PostgreSQL's defaults, spelled out for readers. */
    @Override
    public String orderTerm(Column column, LiveQuery.Direction direction) {
        return SqlText.columnExpression(column)
                + (direction == LiveQuery.Direction.DESC ? " DESC NULLS FIRST" : " ASC NULLS LAST");
    }

    @Override
    public SqlFilterWriter filterWriter(TableSchema schema, StringBuilder sql, List<Object> params) {
        return new PgFilterWriter(this, schema, sql, params);
    }
}
