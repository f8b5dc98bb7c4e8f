package io.undercurrent.source.mariadb;

import com.zaxxer.hikari.HikariDataSource;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.jdbc.SnapshotTransaction;
import io.undercurrent.source.mariadb.internal.BinlogSnapshotPoint;
import io.undercurrent.source.mariadb.internal.MariaDbPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads live queries from one MariaDB source: in one {@code START TRANSACTION WITH CONSISTENT
 * SNAPSHOT, READ ONLY} (REPEATABLE READ; {@link SnapshotTransaction}), first the binlog coordinates of
 * the snapshot ({@code binlog_snapshot_file} / {@code binlog_snapshot_position}, which MariaDB takes
 * atomically with the InnoDB snapshot: the read's {@link BinlogSnapshotPoint}), then the check that
 * ingest reads the binlog, then the rows.
 *
 * <p>MySQL has no {@code binlog_snapshot_*}: a read there fails with a message saying so (see the
 * module README for why, and what MySQL would need). Only InnoDB tables are read consistently; other
 * engines are not transactional. Thread-safe.
 */
public final class MariaDbSourceReader implements SourceReader {

    /** SQLSTATE of a table that does not exist (dropped since the schema was read). */
    private static final String NO_SUCH_TABLE = "42S02";

    private final MariaDbReaderSettings settings;
    private final HikariDataSource pool;
    private final MariaDbSqlBuilder sql = new MariaDbSqlBuilder();
    private final MariaDbSchemaReader schemas;
    private final Reads reads;
    /** Ingest's binlog connection was seen once: its position is stored from then on, so a restart loses nothing. */
    private volatile boolean captureSeen;

    /** Opens the source's pool; it connects lazily, so a database that is down does not stop the caller. */
    public MariaDbSourceReader(MariaDbReaderSettings settings) {
        this.settings = settings;
        this.pool = MariaDbPool.open(settings);
        this.schemas = new MariaDbSchemaReader(settings.source(), settings.database());
        this.reads = new Reads();
    }

    @Override
    public String source() {
        return settings.source();
    }

    /** Without a database, the source's own is meant. */
    @Override
    public String qualify(String table) {
        return schemas.qualified(table);
    }

    @Override
    public TableSchema schema(String table) throws SourceReadException {
        try (Connection connection = pool.getConnection()) {
            return schemas.read(connection, table);
        } catch (SQLException e) {
            throw new SourceUnavailableException(
                    "cannot read the schema of " + table + " from source \"" + source() + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public ReadResult read(ReadRequest request, RowGate gate) throws SourceReadException {
        return reads.read(request, gate);
    }

    /**
     * The read's transaction, begun and ended by statements: the pool's connections auto-commit, and
     * only {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} takes the snapshot at once (rather than
     * at the first read), together with its binlog coordinates.
     */
    private final class Reads extends SnapshotTransaction {

        Reads() {
            super(settings.source(), pool, settings.fetchSize(), NO_SUCH_TABLE, sql::snapshot, MariaDbRowReader::new);
        }

        @Override
        protected BinlogSnapshotPoint begin(Connection connection) throws SQLException, SourceReadException {
            BinlogSnapshotPoint point;
            try (Statement st = connection.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                point = point(st);
            }
            requireCapture(connection);
            return point;
        }

        @Override
        protected void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        protected void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

        private static void execute(Connection connection, String statement) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute(statement);
            }
        }
    }

    /** The snapshot's binlog coordinates, read inside the snapshot's transaction. */
    private BinlogSnapshotPoint point(Statement st) throws SQLException, SourceUnavailableException {
        String file = null;
        long position = -1;
        try (ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if ("binlog_snapshot_file".equalsIgnoreCase(name)) {
                    file = rs.getString(2);
                } else if ("binlog_snapshot_position".equalsIgnoreCase(name)) {
                    position = Long.parseLong(rs.getString(2));
                }
            }
        }
        if (file == null || position < 0) {
            throw new SourceUnavailableException(
                    "source \"" + source() + "\" does not report binlog_snapshot_file/binlog_snapshot_position;"
                            + " live queries need MariaDB (MySQL has no consistent-snapshot binlog position)",
                    null);
        }
        if (file.isEmpty()) {
            throw new SourceUnavailableException(
                    "source \"" + source() + "\" has its binary log off; start MariaDB with log_bin"
                            + " (binlog_format=ROW), which ingest needs too",
                    null);
        }
        return BinlogSnapshotPoint.of(file, position);
    }

    private void requireCapture(Connection connection) throws SQLException, NotCapturedYetException {
        String user = settings.captureUser();
        if (user == null || captureSeen) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT 1 FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = ? LIMIT 1")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new NotCapturedYetException("source \"" + source()
                            + "\" is not being captured yet (no binlog connection of user " + user
                            + "); is ingest running? A reader whose user differs from ingest's needs the PROCESS"
                            + " privilege to see it");
                }
            }
        }
        captureSeen = true;
    }

    /** Closes the pool; reads in progress fail. */
    @Override
    public void close() {
        pool.close();
    }
}
