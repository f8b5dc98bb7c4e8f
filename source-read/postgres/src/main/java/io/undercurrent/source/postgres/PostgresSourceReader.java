package io.undercurrent.source.postgres;

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
import io.undercurrent.source.postgres.internal.PgPool;
import io.undercurrent.source.postgres.internal.PgSnapshotPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads live queries from one PostgreSQL source: in one REPEATABLE READ transaction
 * ({@link SnapshotTransaction}), first the snapshot's point ({@code pg_current_snapshot()}), then the
 * check that ingest's replication slot exists, then the rows. Thread-safe.
 */
public final class PostgresSourceReader implements SourceReader {

    /** SQLSTATE of a relation that does not exist (dropped since the schema was read). */
    private static final String UNDEFINED_TABLE = "42P01";

    private final PostgresReaderSettings settings;
    private final HikariDataSource pool;
    private final PostgresSqlBuilder sql = new PostgresSqlBuilder();
    private final PostgresSchemaReader schemas;
    private final Reads reads;

    /** Opens the source's pool; it connects lazily, so a database that is down does not stop the caller. */
    public PostgresSourceReader(PostgresReaderSettings settings) {
        this.settings = settings;
        this.pool = PgPool.open(settings);
        this.schemas = new PostgresSchemaReader(settings.source());
        this.reads = new Reads();
    }

    @Override
    public String source() {
        return settings.source();
    }

    /** Without a schema, {@code public} is meant, as PostgreSQL's search path usually says. */
    @Override
    public io.undercurrent.source.ReadPoint readPoint(String token) {
        return PgSnapshotPoint.parse(token);
    }

    @Override
    public String qualify(String table) {
        return PostgresSchemaReader.qualified(table);
    }

    @Override
    public TableSchema schema(String table) throws SourceReadException {
        try (Connection connection = pool.getConnection()) {
            TableSchema schema = schemas.read(connection, table);
            connection.commit();
            return schema;
        } catch (SQLException e) {
            throw new SourceUnavailableException(
                    "cannot read the schema of " + table + " from source \"" + source() + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public ReadResult read(ReadRequest request, RowGate gate) throws SourceReadException {
        return reads.read(request, gate);
    }

    /** The read's transaction: the connection's own (the pool's connections do not auto-commit). */
    private final class Reads extends SnapshotTransaction {

        Reads() {
            super(settings.source(), pool, settings.fetchSize(), UNDEFINED_TABLE, sql::snapshot, JdbcRowReader::new);
        }

        @Override
        protected PgSnapshotPoint begin(Connection connection) throws SQLException, NotCapturedYetException {
            PgSnapshotPoint point = point(connection);
            requireCapture(connection);
            return point;
        }
    }

    private static PgSnapshotPoint point(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_snapshot()::text")) {
            rs.next();
            return PgSnapshotPoint.parse(rs.getString(1));
        }
    }

    private void requireCapture(Connection connection) throws SQLException, NotCapturedYetException {
        String slot = settings.replicationSlot();
        if (slot == null) {
            return;
        }
        try (PreparedStatement st =
                connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new NotCapturedYetException("source \"" + source()
                            + "\" is not being captured yet (no replication slot " + slot + "); is ingest running?");
                }
            }
        }
    }

    /** Closes the pool; reads in progress fail. */
    @Override
    public void close() {
        pool.close();
    }
}
