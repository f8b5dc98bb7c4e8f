package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash case: a process running LocalPostgres is killed, its server keeps running. */
class StalePostmasterIT {

    private static final Pattern READY = Pattern.compile("postgres ready port=(\\d+)");

    @Test
    void aServerLeftByAKilledProcessIsStoppedAndTheDataDirReused(@TempDir Path dataDir) throws SQLException {
        int port;
        try (ChildJvm child =
                ChildJvm.start(ChildJvm.Options.of(LocalPostgresChildMain.class).withArgs(dataDir.toString()))) {
            Matcher ready = READY.matcher(child.awaitOutputLine(READY, Duration.ofSeconds(60)));
            assertThat(ready.find()).isTrue();
            port = Integer.parseInt(ready.group(1));
            execute(port, "create table survived(id int primary key)");
            child.killHard();
        }

        try (LocalPostgres postgres = LocalPostgres.start(
                LocalPostgres.Options.defaults().withDataDir(dataDir).withPort(port))) {
            assertThat(postgres.port()).isEqualTo(port);
            execute(port, "insert into survived values (1)");
        }
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/postgres",
                        LocalPostgres.USER,
                        LocalPostgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
