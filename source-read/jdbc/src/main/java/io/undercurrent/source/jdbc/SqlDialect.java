package io.undercurrent.source.jdbc;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.util.List;

/**
 * What one SQL database spells its own way in a snapshot statement: identifier quoting, the
 * expressions that make the database compare and order a column exactly as the in-memory matcher
 * does, how NULLs are placed in an order, and how a filter's constants are written ({@link
 * SqlFilterWriter}). Everything else about the statement is {@link SnapshotSqlBuilder}'s.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface SqlDialect {

    /** The identifier quoted so it is always safe to splice; rejects one the database cannot name. */
    String quote(String identifier);

    /** The column as selected: its quoted name unless the database must convert it to read it exactly. */
    default String selectExpression(Column column) {
        return quote(column.name());
    }

    /** The column as compared and ordered, so the database's order is the matcher's. */
    String columnExpression(Column column);

    /**
     * One {@code ORDER BY} term for a requested order, with NULLs last ascending and first descending
     * (PostgreSQL's default, which every source follows so a window is the same whatever the source).
     */
    String orderTerm(Column column, LiveQuery.Direction direction);

    /** A writer of one statement's {@code WHERE}, appending to {@code sql} and {@code params}. */
    SqlFilterWriter filterWriter(TableSchema schema, StringBuilder sql, List<Object> params);
}
