package io.undercurrent.source.mariadb;

import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.mariadb.internal.GlobalReadLockSnapshot;
import io.undercurrent.source.mariadb.internal.GtidSet;
import io.undercurrent.source.mariadb.internal.GtidSetPoint;
import io.undercurrent.source.mariadb.internal.MySqlChecks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads live queries from one MySQL 8 source. MySQL has no binlog position of a consistent snapshot,
 * so a read takes one the way {@code mysqldump --single-transaction --source-data} does
 * ({@link GlobalReadLockSnapshot}): under a global read lock held for three short statements, it
 * starts a consistent snapshot and reads {@code @@global.gtid_executed}, then releases the lock and
 * reads the rows. A change is in the rows exactly when its GTID (ingest's {@code txId}) is in that set
 * ({@link GtidSetPoint}).
 *
 * <p>Everything else is the MariaDB reader's: schema reads, the SQL (text compared as its UTF-8 bytes,
 * so MySQL 8's accent- and case-insensitive {@code utf8mb4_0900_ai_ci} does not decide a match), the
 * row decoding ({@code JSON}, a real type in MySQL, is parsed as ingest parses it), the capture check.
 * The pool uses the MariaDB driver, which speaks to MySQL too: connect with a {@code jdbc:mariadb://}
 * URL (with {@code allowPublicKeyRetrieval=true} for {@code caching_sha2_password} users over
 * plain TCP).
 *
 * <p>Before its first read the reader checks the source once: binary log on, {@code gtid_mode=ON},
 * and the {@code RELOAD} privilege ({@link MySqlChecks}); until those hold, every read fails saying
 * what to change. Each read briefly stops every commit on the server: reads are not free for a busy
 * source. Only InnoDB tables are read consistently. Thread-safe.
 */
public final class MySqlSourceReader extends BinlogSourceReader {

    private volatile boolean checked;

    /** Opens the source's pool; it connects lazily, so a database that is down does not stop the caller. */
    public MySqlSourceReader(MariaDbReaderSettings settings) {
        super(settings);
    }

    @Override
    ReadPoint begin(Connection connection, Statement st) throws SQLException, SourceUnavailableException {
        if (!checked) {
            List<String> problems = MySqlChecks.problems(connection, settings.user());
            if (!problems.isEmpty()) {
                throw new SourceUnavailableException(
                        "source \"" + source() + "\" cannot serve live queries: " + String.join("; ", problems), null);
            }
            checked = true;
        }
        String executed;
        try {
            executed = GlobalReadLockSnapshot.begin(st, "SELECT @@global.gtid_executed");
        } catch (SQLException e) {
            // A connection whose lock may not have been released must never serve another read.
            pool.evictConnection(connection);
            if (e.getErrorCode() == GlobalReadLockSnapshot.ACCESS_DENIED) {
                throw new SourceUnavailableException(
                        "source \"" + source() + "\": user '" + settings.user() + "' may not take the global read"
                                + " lock that places a read in the change stream: GRANT RELOAD ON *.* TO '"
                                + settings.user() + "' (" + e.getMessage() + ")",
                        e);
            }
            if (e.getErrorCode() == GlobalReadLockSnapshot.LOCK_WAIT_TIMEOUT) {
                throw new SourceUnavailableException(
                        "source \"" + source() + "\": the global read lock for a snapshot waited more than "
                                + GlobalReadLockSnapshot.LOCK_WAIT.toSeconds()
                                + " s for statements in progress (a long query or a lock held elsewhere)",
                        e);
            }
            throw e;
        }
        try {
            return new GtidSetPoint(GtidSet.parse(executed == null ? "" : executed));
        } catch (IllegalArgumentException e) {
            throw new SourceUnavailableException("source \"" + source() + "\": " + e.getMessage(), e);
        }
    }

    /** A point again from its token ({@code gtid:<set>}). */
    @Override
    public ReadPoint readPoint(String token) {
        return GtidSetPoint.parse(token);
    }
}
