package io.undercurrent.source.jdbc;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.UnknownTableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A live query's consistent read over JDBC, as every SQL reader does it: on a connection of the
 * source's pool, in one REPEATABLE READ transaction, begin at a read point, read the rows through the
 * gate ({@link GatedRows}), commit; on any failure roll back and rethrow. A failure of the driver
 * becomes {@link UnknownTableException} when its SQLSTATE says the table does not exist (dropped
 * since the schema was read), else {@link SourceUnavailableException}.
 *
 * <p>The statement selects whole rows, because the gate may judge columns the client did not ask for,
 * and has no {@code LIMIT}: the query's {@code limit} counts admitted rows only, so the read stops
 * once enough rows were admitted.
 *
 * <p>A reader supplies only what its database does differently: how the transaction begins and which
 * point it reads at ({@link #begin}, which also checks that the source is being captured), the
 * snapshot statement and the decoding of a row, and, where its pool's connections auto-commit, how the
 * transaction ends. Thread-safe if those are.
 */
public abstract class SnapshotTransaction {

    private final String source;
    private final DataSource pool;
    private final int fetchSize;
    private final String undefinedTableState;
    private final BiFunction<LiveQuery, TableSchema, SqlQuery> statement;
    private final Function<TableSchema, ResultRowReader> rows;

    /**
     * @param source              the source's name, for messages
     * @param pool                where connections come from; each read holds one for its duration
     * @param fetchSize           rows fetched from the database at a time
     * @param undefinedTableState the SQLSTATE of the database for a table that does not exist
     * @param statement           the snapshot statement of a query over whole rows (no {@code LIMIT})
     * @param rows                how the database's rows of a table become canonical values
     */
    protected SnapshotTransaction(
            String source,
            DataSource pool,
            int fetchSize,
            String undefinedTableState,
            BiFunction<LiveQuery, TableSchema, SqlQuery> statement,
            Function<TableSchema, ResultRowReader> rows) {
        this.source = Objects.requireNonNull(source, "source");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.fetchSize = fetchSize;
        this.undefinedTableState = Objects.requireNonNull(undefinedTableState, "undefinedTableState");
        this.statement = Objects.requireNonNull(statement, "statement");
        this.rows = Objects.requireNonNull(rows, "rows");
    }

    /** {@link io.undercurrent.source.SourceReader#read}: the request's rows and the point they were read at. */
    public final ReadResult read(ReadRequest request, RowGate gate) throws SourceReadException {
        LiveQuery query = request.query();
        LiveQuery wholeRows =
                new LiveQuery(query.source(), query.table(), request.filter(), null, query.orderBy(), null);
        int limit = query.limit() == null ? Integer.MAX_VALUE : query.limit();
        try (Connection connection = pool.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                ReadPoint point = begin(connection);
                List<Map<String, Object>> rows = GatedRows.read(
                        connection,
                        statement.apply(wholeRows, request.schema()),
                        fetchSize,
                        this.rows.apply(request.schema()),
                        gate,
                        limit,
                        request.maxRows());
                commit(connection);
                return new ReadResult(rows, point);
            } catch (SQLException | SourceReadException | RuntimeException e) {
                try {
                    rollback(connection);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            if (undefinedTableState.equals(e.getSQLState())) {
                throw new UnknownTableException(source, query.table());
            }
            throw new SourceUnavailableException(
                    "reading " + query.table() + " from source \"" + source + "\" failed: " + e.getMessage(), e);
        }
    }

    /**
     * Begins the read's transaction on {@code connection} (its isolation already REPEATABLE READ) and
     * returns the point in the change stream its snapshot sees; checks too that the source is being
     * captured, so a read is never stitched to a stream that does not exist.
     *
     * @throws SourceReadException when the source cannot give a point or is not captured yet
     */
    protected abstract ReadPoint begin(Connection connection) throws SQLException, SourceReadException;

    /** Ends the read's transaction, its rows all read: the connection's commit (a pool without auto-commit). */
    protected void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    /** Ends the read's transaction after a failure, before the connection returns to the pool. */
    protected void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }
}
