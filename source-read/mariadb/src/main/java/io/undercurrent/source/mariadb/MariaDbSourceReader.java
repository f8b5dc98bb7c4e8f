package io.undercurrent.source.mariadb;

import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.mariadb.internal.BinlogSnapshotPoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads live queries from one MariaDB source: in one {@code START TRANSACTION WITH CONSISTENT
 * SNAPSHOT, READ ONLY} (REPEATABLE READ), first the binlog coordinates of the snapshot
 * ({@code binlog_snapshot_file} / {@code binlog_snapshot_position}, which MariaDB takes atomically
 * with the InnoDB snapshot: the read's {@link BinlogSnapshotPoint}), then the check that ingest reads
 * the binlog, then the rows. As for PostgreSQL, the query selects whole rows and has no
 * {@code LIMIT}: the read stops once enough rows were admitted by the gate.
 *
 * <p>MySQL has no {@code binlog_snapshot_*}: a read there fails with a message saying so; MySQL sources
 * have their own reader ({@link MySqlSourceReader}). Only InnoDB tables are read consistently; other
 * engines are not transactional. Thread-safe.
 */
public final class MariaDbSourceReader extends BinlogSourceReader {

    /** Opens the source's pool; it connects lazily, so a database that is down does not stop the caller. */
    public MariaDbSourceReader(MariaDbReaderSettings settings) {
        super(settings);
    }

    @Override
    BinlogSnapshotPoint begin(Connection connection, Statement st) throws SQLException, SourceUnavailableException {
        st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        return point(st);
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
                            + " live queries over MySQL need a source of kind mysql (MySQL has no consistent-snapshot binlog position)",
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
}
