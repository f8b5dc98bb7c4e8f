package io.undercurrent.source.mariadb.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Opens a consistent snapshot together with a position that says exactly which transactions it
 * contains, where the database offers no single statement for both (MySQL): what {@code mysqldump
 * --single-transaction --source-data} does.
 *
 * <pre>
 * SET SESSION lock_wait_timeout = 2
 * FLUSH TABLES WITH READ LOCK                             -- no commit can happen from here
 * START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY   -- REPEATABLE READ
 * SELECT @@global.gtid_executed                           -- the position query
 * UNLOCK TABLES                                           -- commits go on; the snapshot stays
 * SET SESSION lock_wait_timeout = DEFAULT
 * </pre>
 *
 * While the global read lock is held no transaction commits, so the snapshot and the position see
 * the same committed transactions. The lock is held for three quick statements, never while rows
 * are read. {@code UNLOCK TABLES} does not end the transaction (the global read lock is no table
 * lock). Taking the lock waits for statements in progress to finish while it already holds back
 * other writers; {@code lock_wait_timeout} bounds that wait ({@link #LOCK_WAIT}), so a long
 * statement on the source stalls its writers for at most that long and the read fails instead.
 *
 * <p>Needs the {@code RELOAD} privilege. Stateless and thread-safe; the caller owns the statement.
 */
public final class GlobalReadLockSnapshot {

    /** How long taking the global read lock may wait for statements in progress. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    /** MySQL and MariaDB's error for a missing privilege (ER_SPECIFIC_ACCESS_DENIED_ERROR). */
    public static final int ACCESS_DENIED = 1227;

    /** MySQL and MariaDB's error for a lock wait that timed out (ER_LOCK_WAIT_TIMEOUT). */
    public static final int LOCK_WAIT_TIMEOUT = 1205;

    private GlobalReadLockSnapshot() {}

    /**
     * Opens the transaction and reads the position. On return the connection is in the transaction
     * and holds no lock. On failure the lock is released too; when even releasing it failed, the
     * exception says so and the connection must be discarded, not reused.
     *
     * @param positionQuery a query of one row whose first column is the position
     * @return that column's text, read under the lock
     */
    public static String begin(Statement st, String positionQuery) throws SQLException {
        return begin(st, positionQuery, () -> {});
    }

    /** {@link #begin(Statement, String)}, running {@code whileLocked} (a test's probe) just before unlocking. */
    static String begin(Statement st, String positionQuery, Runnable whileLocked) throws SQLException {
        st.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT.toSeconds());
        boolean locked = false;
        Throwable failure = null;
        String position = null;
        try {
            st.execute("FLUSH TABLES WITH READ LOCK");
            locked = true;
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            try (ResultSet rs = st.executeQuery(positionQuery)) {
                if (!rs.next()) {
                    throw new SQLException("the position query returned no row: " + positionQuery);
                }
                position = rs.getString(1);
            }
            whileLocked.run();
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
        }
        if (locked) {
            try {
                st.execute("UNLOCK TABLES");
            } catch (SQLException e) {
                SQLException stuck =
                        new SQLException("UNLOCK TABLES failed; the connection may still hold the global read lock", e);
                if (failure != null) {
                    stuck.addSuppressed(failure);
                }
                throw stuck;
            }
        }
        try {
            st.execute("SET SESSION lock_wait_timeout = DEFAULT");
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure instanceof SQLException e) {
            throw e;
        } else if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
        return position;
    }
}
