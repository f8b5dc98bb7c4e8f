package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.router.RowView;
import io.undercurrent.router.query.Filter;
import io.undercurrent.router.query.JdbcRowReader;
import io.undercurrent.router.query.LiveQuery;
import io.undercurrent.router.query.PostgresSqlBuilder;
import io.undercurrent.router.query.ReadPushdown;
import io.undercurrent.router.query.SqlQuery;
import io.undercurrent.router.query.TableSchema;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a live query's initial result: in one REPEATABLE READ transaction, first the snapshot's
 * visibility ({@code pg_current_snapshot()}), then the rows. The query selects whole rows because
 * rules may judge columns the client did not ask for; rules and masks are applied here, row by row,
 * and {@code limit} counts readable rows only. The part of the subscriber's read rule that SQL can
 * express exactly is ANDed into the query ({@link ReadPushdown}), so rows the subscriber may not
 * read are mostly not fetched at all. An initial result must fit in one connection's send buffer
 * ({@code maxBytes}, the outbox bound): a larger one could never be delivered, so it is refused with
 * {@code limit_exceeded} as soon as the rows read pass the bound. Thread-safe.
 */
final class SnapshotReader implements SnapshotSource {

    /** What a snapshot read returns. */
    record Result(List<Map<String, Object>> rows, SnapshotVisibility visibility) {
    }

    private final DataSources dataSources;
    private final PostgresSqlBuilder sql = new PostgresSqlBuilder();
    private final Clock clock;
    private final int maxRows;
    private final ServerFrames frames;
    private final long maxBytes;

    /** @param maxBytes the most bytes a snapshot frame may have: what one connection may have unsent */
    SnapshotReader(DataSources dataSources, Clock clock, int maxRows, ServerFrames frames, long maxBytes) {
        this.dataSources = dataSources;
        this.clock = clock;
        this.maxRows = maxRows;
        this.frames = frames;
        this.maxBytes = maxBytes;
    }

    @Override
    public Result read(TableRef table, LiveQuery query, TableSchema schema, Map<String, Object> auth, RuleSet rules, String queryId)
            throws ProtocolException, SQLException, NotCapturedYet {
        // The rules may have changed since the query was admitted; the edge starts it over soon, but
        // this read must not order or filter by a column they now hide.
        String refused = QueryAccess.queryRefusal(rules, table, query, auth);
        if (refused != null) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, queryId, refused);
        }
        long now = clock.millis();
        // Only rows that can pass the read rule are fetched; every row is still judged below.
        Filter pushed = ReadPushdown.of(rules.readCondition(table, auth, now), schema).filter();
        LiveQuery wholeRows = ReadPushdown.narrow(
                new LiveQuery(query.source(), query.table(), query.where(), null, query.orderBy(), null), pushed);
        SqlQuery select = sql.snapshot(wholeRows, schema);
        int limit = query.limit() == null ? Integer.MAX_VALUE : query.limit();
        try (Connection connection = dataSources.get(table.source()).getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                SnapshotVisibility visibility = visibility(connection);
                requireCapture(connection, table.source());
                // The frame around the rows, as EdgeSubscription writes it, counts against the bound too.
                long envelope = frames.snapshot(queryId, schema.primaryKey(), List.of(), "snapshot:" + visibility)
                        .getBytes(StandardCharsets.UTF_8).length;
                List<Map<String, Object>> rows = rows(connection, select, schema, table, query, auth, rules, now, limit, queryId,
                        maxBytes - envelope);
                connection.commit();
                return new Result(rows, visibility);
            } catch (SQLException | ProtocolException | NotCapturedYet | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static SnapshotVisibility visibility(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_snapshot()::text")) {
            rs.next();
            return SnapshotVisibility.parse(rs.getString(1));
        }
    }

    /** Thrown when the source's changes are not being captured yet, so a snapshot could not be stitched. */
    static final class NotCapturedYet extends Exception {
        private static final long serialVersionUID = 1L;

        NotCapturedYet(String message) {
            super(message);
        }
    }

    private void requireCapture(Connection connection, String source) throws SQLException, NotCapturedYet {
        String slot = dataSources.replicationSlot(source);
        if (slot == null) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new NotCapturedYet("source \"" + source + "\" is not being captured yet (no replication slot " + slot
                            + "); is ingest running?");
                }
            }
        }
    }

    private List<Map<String, Object>> rows(Connection connection, SqlQuery select, TableSchema schema, TableRef table, LiveQuery query,
                                           Map<String, Object> auth, RuleSet rules, long now, int limit, String queryId,
                                           long maxRowBytes)
            throws SQLException, ProtocolException {
        List<Map<String, Object>> rows = new ArrayList<>();
        long bytes = 0;
        try (PreparedStatement st = select.prepare(connection)) {
            st.setFetchSize(500);
            try (ResultSet rs = st.executeQuery()) {
                JdbcRowReader reader = new JdbcRowReader(schema);
                while (rows.size() < limit && rs.next()) {
                    Map<String, Object> row = reader.read(rs);
                    Access access = rules.access(table, auth, row, now);
                    if (access.allowed()) {
                        if (rows.size() >= maxRows) {
                            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, queryId, "the result has more than " + maxRows
                                    + " rows; narrow the filter or set a limit");
                        }
                        Map<String, Object> visible = RowView.project(row, access, schema.primaryKey(), query.fields());
                        bytes += frames.rowBytes(visible) + (rows.isEmpty() ? 0 : 1);
                        if (bytes > maxRowBytes) {
                            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, queryId, "the initial result is larger than "
                                    + maxBytes + " bytes, the most a connection may have unsent (edge.max-pending-bytes): its first "
                                    + (rows.size() + 1) + " rows alone are " + bytes + " bytes; narrow the filter, ask for fewer "
                                    + "fields or set a smaller limit");
                        }
                        rows.add(visible);
                    }
                }
            }
        }
        return rows;
    }
}
