package io.undercurrent.source.mariadb;

import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.jdbc.SnapshotSqlBuilder;
import io.undercurrent.source.jdbc.SqlQuery;
import io.undercurrent.source.mariadb.internal.MariaDbDialect;

/**
 * Writes a live query's snapshot as MariaDB SQL with exactly the semantics of {@link
 * io.undercurrent.query.RowMatcher} ({@link SnapshotSqlBuilder} in the MariaDB dialect).
 *
 * <p>Identifiers are quoted with backticks. Text is compared and ordered as UTF-8 bytes (code-point
 * order, case and trailing spaces significant), which no index on a case-insensitive collation
 * serves; see {@code MariaSqlText}. NULLs sort last ascending and first descending, as PostgreSQL
 * sorts them. Stateless and thread-safe.
 */
public final class MariaDbSqlBuilder {

    private static final SnapshotSqlBuilder SQL = new SnapshotSqlBuilder(new MariaDbDialect());

    /**
     * The snapshot statement for {@code query}.
     *
     * @throws InvalidQueryException if the query names columns or uses values the table does not fit
     */
    public SqlQuery snapshot(LiveQuery query, TableSchema schema) {
        return SQL.snapshot(query, schema);
    }
}
