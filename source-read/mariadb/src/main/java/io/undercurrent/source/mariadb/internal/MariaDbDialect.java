package io.undercurrent.source.mariadb.internal;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlDialect;
import io.undercurrent.source.jdbc.SqlFilterWriter;
import java.util.List;

/** MariaDB's spelling of a snapshot statement: see {@link MariaSqlText}. Stateless and thread-safe. */
public final class MariaDbDialect implements SqlDialect {

    @Override
    public String quote(String identifier) {
        return MariaSqlText.quote(identifier);
    }

    @Override
    public String selectExpression(Column column) {
        return MariaSqlText.selectExpression(column);
    }

    @Override
    public String columnExpression(Column column) {
        return MariaSqlText.columnExpression(column);
    }

    /**
     * MariaDB sorts NULLs first ascending; PostgreSQL's order (NULLS LAST ascending, FIRST descending)
     * is spelled out so every source orders a window alike.
     */
    @Override
    public String orderTerm(Column column, LiveQuery.Direction direction) {
        String q = MariaSqlText.quote(column.name());
        String e = MariaSqlText.columnExpression(column);
        return direction == LiveQuery.Direction.DESC
                ? q + " IS NULL DESC, " + e + " DESC"
                : q + " IS NULL ASC, " + e + " ASC";
    }

    @Override
    public SqlFilterWriter filterWriter(TableSchema schema, StringBuilder sql, List<Object> params) {
        return new MariaSqlFilterWriter(this, schema, sql, params);
    }
}
