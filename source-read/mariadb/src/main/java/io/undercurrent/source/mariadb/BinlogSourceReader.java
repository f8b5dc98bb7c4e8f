package io.undercurrent.source.mariadb;

import com.zaxxer.hikari.HikariDataSource;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.jdbc.SnapshotTransaction;
import io.undercurrent.source.mariadb.internal.MariaDbPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the MariaDB and MySQL readers share: the pool, schema reads, the SQL and the row decoding, and
 * a read's shape ({@link SnapshotTransaction}: open a consistent snapshot and take its point, check
 * that ingest reads the binlog, read the rows, commit). They differ only in how the snapshot is opened and its point taken
 * ({@link #begin}). As for PostgreSQL, the query selects whole rows and has no {@code LIMIT}: the read
 * stops once enough rows were admitted by the gate. Thread-safe.
 */
abstract class BinlogSourceReader implements SourceReader {

    /** SQLSTATE of a table that does not exist (dropped since the schema was read). */
    private static final String NO_SUCH_TABLE = "42S02";

    final MariaDbReaderSettings settings;
    final HikariDataSource pool;
    private final MariaDbSqlBuilder sql = new MariaDbSqlBuilder();
    private final MariaDbSchemaReader schemas;
    private final Reads reads;
    /** Ingest's binlog connection was seen once: its position is stored from then on, so a restart loses nothing. */
    private volatile boolean captureSeen;

    BinlogSourceReader(MariaDbReaderSettings settings) {
        this.settings = settings;
        this.pool = MariaDbPool.open(settings);
        this.schemas = new MariaDbSchemaReader(settings.source(), settings.database());
        this.reads = new Reads();
    }

    /**
     * Starts the read's transaction, a REPEATABLE READ consistent snapshot, on {@code connection} and
     * returns which changes it contains. On failure the caller rolls back and gives the connection back.
     */
    abstract ReadPoint begin(Connection connection, Statement st) throws SQLException, SourceReadException;

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
     * at the first read).
     */
    private final class Reads extends SnapshotTransaction {

        Reads() {
            super(settings.source(), pool, settings.fetchSize(), NO_SUCH_TABLE, sql::snapshot, MariaDbRowReader::new);
        }

        @Override
        protected ReadPoint begin(Connection connection) throws SQLException, SourceReadException {
            ReadPoint point;
            try (Statement st = connection.createStatement()) {
                point = BinlogSourceReader.this.begin(connection, st);
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
