package io.undercurrent.source.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.mariadb.MariaDbReaderSettings;
import io.undercurrent.source.mariadb.MySqlSourceReader;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The global-read-lock sequence MySQL reads use, run for real on MariaDB 11.4, which has the same
 * statements ({@code FLUSH TABLES WITH READ LOCK}, {@code START TRANSACTION WITH CONSISTENT SNAPSHOT},
 * {@code UNLOCK TABLES}, {@code lock_wait_timeout}); its own GTID position
 * ({@code @@global.gtid_binlog_pos}) stands in for MySQL's {@code gtid_executed}. Also the start-up
 * checks of a MySQL source, which on MariaDB must say it is not MySQL.
 */
class GlobalReadLockSnapshotIT {

    private static final String POSITION = "SELECT @@global.gtid_binlog_pos";

    private static LocalMariaDb db;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalMariaDb.unsupportedReason() == null, LocalMariaDb.unsupportedReason());
        db = LocalMariaDb.start();
        db.execute(
                "",
                "CREATE DATABASE app CHARACTER SET utf8mb4",
                "CREATE USER 'noreload'@'%' IDENTIFIED BY 'pw'",
                "GRANT SELECT, INSERT ON app.* TO 'noreload'@'%'");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTable() throws Exception {
        db.execute("app", "DROP TABLE IF EXISTS t", "CREATE TABLE t (id bigint PRIMARY KEY) ENGINE=InnoDB");
    }

    private static Connection root() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl("app"), LocalMariaDb.ROOT, "");
    }

    /** A writer that gives up after a second instead of waiting for a lock held elsewhere. */
    private static Connection impatientWriter() throws SQLException {
        Connection c = root();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = 1");
        }
        return c;
    }

    private static String one(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void thePositionDescribesTheSnapshotWhichOutlivesTheLock() throws Exception {
        db.execute("app", "INSERT INTO t VALUES (1)");
        try (Connection reader = root();
                Statement st = reader.createStatement();
                Connection writer = impatientWriter();
                Statement w = writer.createStatement()) {
            String expected = one(w, POSITION);
            String position = GlobalReadLockSnapshot.begin(st, POSITION);
            assertThat(position).isEqualTo(expected).isNotEmpty();
            // The lock is gone: this commit would otherwise fail after a second.
            w.executeUpdate("INSERT INTO t VALUES (2)");
            assertThat(one(w, POSITION)).isNotEqualTo(position);
            assertThat(one(st, "SELECT COUNT(*) FROM t"))
                    .as("the snapshot, still")
                    .isEqualTo("1");
            assertThat(one(st, "SELECT @@session.lock_wait_timeout"))
                    .as("the session's lock wait is back to the server's")
                    .isEqualTo(one(w, "SELECT @@global.lock_wait_timeout"));
            st.execute("COMMIT");
            assertThat(one(st, "SELECT COUNT(*) FROM t")).isEqualTo("2");
        }
    }

    @Test
    void noCommitHappensWhileThePositionIsRead() throws Exception {
        try (Connection reader = root();
                Statement st = reader.createStatement();
                Connection writer = impatientWriter();
                Statement w = writer.createStatement()) {
            GlobalReadLockSnapshot.begin(
                    st,
                    POSITION,
                    () -> assertThatThrownBy(() -> w.executeUpdate("INSERT INTO t VALUES (1)"))
                            .isInstanceOfSatisfying(
                                    SQLException.class,
                                    e -> assertThat(e.getErrorCode())
                                            .isEqualTo(GlobalReadLockSnapshot.LOCK_WAIT_TIMEOUT)));
            w.executeUpdate("INSERT INTO t VALUES (1)");
            st.execute("COMMIT");
        }
    }

    @Test
    void aFailureWhileLockedStillReleasesTheLock() throws Exception {
        try (Connection reader = root();
                Statement st = reader.createStatement();
                Connection writer = impatientWriter();
                Statement w = writer.createStatement()) {
            assertThatThrownBy(() -> GlobalReadLockSnapshot.begin(st, "SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLException.class);
            w.executeUpdate("INSERT INTO t VALUES (1)");
            st.execute("ROLLBACK");
        }
    }

    @Test
    void aUserWithoutReloadIsDeniedAndKeepsNoLock() throws Exception {
        try (Connection reader = DriverManager.getConnection(db.jdbcUrl("app"), "noreload", "pw");
                Statement st = reader.createStatement();
                Connection writer = impatientWriter();
                Statement w = writer.createStatement()) {
            assertThatThrownBy(() -> GlobalReadLockSnapshot.begin(st, POSITION))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(GlobalReadLockSnapshot.ACCESS_DENIED));
            w.executeUpdate("INSERT INTO t VALUES (1)");
            assertThat(one(st, "SELECT @@session.lock_wait_timeout"))
                    .isEqualTo(one(w, "SELECT @@global.lock_wait_timeout"));
        }
    }

    @Test
    void aLockThatCannotBeHadInTimeFailsInsteadOfStallingWriters() throws Exception {
        try (Connection holder = root();
                Statement h = holder.createStatement();
                Connection reader = root();
                Statement st = reader.createStatement()) {
            h.execute("LOCK TABLES t WRITE");
            try {
                assertThatThrownBy(() -> GlobalReadLockSnapshot.begin(st, POSITION))
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(GlobalReadLockSnapshot.LOCK_WAIT_TIMEOUT));
            } finally {
                h.execute("UNLOCK TABLES");
            }
            assertThat(GlobalReadLockSnapshot.begin(st, POSITION)).isNotNull();
            st.execute("COMMIT");
        }
    }

    @Test
    void theMySqlChecksSayThisIsNotMySqlAndNameAMissingReload() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl("app"), "noreload", "pw")) {
            assertThat(MySqlChecks.problems(c, "noreload"))
                    .anySatisfy(p -> assertThat(p).contains("is it MariaDB?").contains("kind mariadb"))
                    .anySatisfy(
                            p -> assertThat(p).contains("lacks RELOAD").contains("GRANT RELOAD ON *.* TO 'noreload'"));
        }
        try (Connection c = root()) {
            assertThat(MySqlChecks.problems(c, LocalMariaDb.ROOT))
                    .singleElement()
                    .asString()
                    .contains("is it MariaDB?");
        }
    }

    @Test
    void aMySqlReaderPointedAtMariaDbRefusesReadsSayingWhatToChange() throws Exception {
        MariaDbReaderSettings settings =
                new MariaDbReaderSettings("my", db.jdbcUrl("app"), "app", "noreload", "pw", 1, null);
        try (MySqlSourceReader reader = new MySqlSourceReader(settings)) {
            TableSchema schema = reader.schema("t");
            ReadRequest request = new ReadRequest(new LiveQuery("my", "app.t", null, null, null, null), schema, 10);
            assertThatThrownBy(() -> reader.read(request, RowGate.ALL))
                    .isInstanceOfSatisfying(
                            SourceUnavailableException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("source \"my\" cannot serve live queries")
                                    .contains("kind mariadb")
                                    .contains("GRANT RELOAD ON *.* TO 'noreload'"));
        }
    }
}
