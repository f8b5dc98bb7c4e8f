package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server on a persistent data dir for the whole class. */
class LocalPostgresIT {

    @TempDir
    static Path dataDir;

    static LocalPostgres postgres;

    @BeforeAll
    static void startServer() {
        postgres = LocalPostgres.start(LocalPostgres.Options.defaults().withDataDir(dataDir));
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void isConfiguredForLogicalDecoding() throws SQLException {
        assertThat(query("show wal_level")).isEqualTo("logical");
        assertThat(query("show synchronous_commit")).isEqualTo("on");
        assertThat(query("show max_replication_slots")).isEqualTo("10");
        assertThat(query("select slot_name from pg_create_logical_replication_slot('s', 'pgoutput')"))
                .isEqualTo("s");
        assertThat(query("select pg_drop_replication_slot('s')::text")).isEmpty();
    }

    @Test
    void restartKeepsDataOnTheSameDirAndPort() throws SQLException {
        execute("create table restart_check(id int primary key, note text)");
        execute("insert into restart_check values (1, 'before restart')");
        int port = postgres.port();

        postgres.restart();

        assertThat(postgres.port()).isEqualTo(port);
        assertThat(postgres.isRunning()).isTrue();
        assertThat(query("select note from restart_check where id = 1")).isEqualTo("before restart");
    }

    @Test
    void aBusyPortIsReportedWithThePortAndTheOption() {
        assertThatThrownBy(() ->
                        LocalPostgres.start(LocalPostgres.Options.defaults().withPort(postgres.port())))
                .isInstanceOf(EmbeddedException.class)
                .hasMessageContaining("port " + postgres.port())
                .hasMessageContaining("LocalPostgres.Options.withPort");
    }

    @Test
    void aTemporaryDataDirIsDeletedOnClose() {
        Path tempDir;
        try (LocalPostgres temporary = LocalPostgres.start(LocalPostgres.Options.defaults())) {
            tempDir = temporary.dataDir();
            assertThat(tempDir.resolve("PG_VERSION")).exists();
        }
        assertThat(Files.exists(tempDir)).isFalse();
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from: %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
