package io.undercurrent.source.postgres;

import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.jdbc.SnapshotSqlBuilder;
import io.undercurrent.source.jdbc.SqlQuery;
import io.undercurrent.source.postgres.internal.PostgresDialect;

/**
 * Writes a live query's snapshot as PostgreSQL SQL with exactly the semantics of {@link
 * io.undercurrent.query.RowMatcher} ({@link SnapshotSqlBuilder} in the PostgreSQL dialect).
 *
 * <p>Identifiers are double-quoted. Text-like columns are compared and sorted as {@code text COLLATE
 * "C"}, i.e. by code point, which the in-memory matcher reproduces; a default-collation index on
 * such a column does not serve those comparisons (an index {@code ON t (col COLLATE "C")} does).
 * Stateless and thread-safe.
 */
public final class PostgresSqlBuilder {

    private static final SnapshotSqlBuilder SQL = new SnapshotSqlBuilder(new PostgresDialect());

    /**
     * The snapshot statement for {@code query}.
     *
     * @throws InvalidQueryException if the query names columns or uses values the table does not
     *                               fit (possible for a query read back from JSON after the table changed)
     */
    public SqlQuery snapshot(LiveQuery query, TableSchema schema) {
        return SQL.snapshot(query, schema);
    }
}
