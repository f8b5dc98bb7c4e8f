package io.undercurrent.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server from binaries bundled on the classpath, set up for change data
 * capture: {@code wal_level=logical}, 10 WAL senders and replication slots, and
 * {@code synchronous_commit=on}.
 *
 * <p>It listens on {@code localhost} only. Authentication is {@code trust}: user
 * {@value #USER} is a superuser, and any password (such as {@link #password()}) is accepted.
 * The cluster is initialised with locale {@code C} and encoding UTF-8, so text sorts by byte
 * value on every machine. To look inside with a locally installed {@code psql}:
 *
 * <pre>
 * psql -h localhost -p &lt;port&gt; -U postgres postgres
 * </pre>
 *
 * <p>The data directory is either temporary (deleted on {@link #close()}) or the caller's
 * (kept, and reused by the next start). {@link #restart()} stops and starts the server on the
 * same directory and port, for database-restart tests. If a process that ran a server on a
 * persistent directory was killed, its server is still running; the next start stops it first.
 *
 * <p>Who calls it: the server's embedded default and integration tests. Threading: all methods
 * are safe from any thread; lifecycle calls are serialised. A JVM shutdown hook stops the server
 * if the owner did not, because unlike the JVM's threads it would otherwise keep running.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser every connection uses. */
    public static final String USER = "postgres";
    /** Any password is accepted (trust authentication); this one suits tools that want one. */
    public static final String PASSWORD = "postgres";
    /** The database that always exists. */
    public static final String DEFAULT_DATABASE = "postgres";
    /** The host name clients use; the server listens on loopback only. */
    public static final String HOST = "localhost";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    private final Options options;
    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final Thread shutdownHook;
    private EmbeddedPostgres server;
    private boolean hookRegistered;
    private boolean closed;

    private LocalPostgres(Options options) {
        this.options = options;
        this.temporary = options.dataDir() == null;
        this.dataDir = temporary ? createTempDir() : options.dataDir().toAbsolutePath();
        this.port = options.port() == 0 ? Ports.pickFree() : options.port();
        this.shutdownHook = new Thread(this::stopQuietly, "local-postgres-" + port + "-shutdown");
    }

    /**
     * Starts a server (running {@code initdb} first if the data dir holds no cluster yet) and
     * returns once it accepts connections.
     *
     * @throws EmbeddedException if the port is in use, a setting is invalid, or the server does
     *     not come up within the startup timeout
     */
    public static LocalPostgres start(Options options) {
        Objects.requireNonNull(options, "options");
        for (int attempt = 1; ; attempt++) {
            LocalPostgres postgres = new LocalPostgres(options);
            try {
                postgres.start();
                return postgres;
            } catch (PortInUseException e) {
                postgres.close();
                // A port this instance picked itself was taken before the server bound it: pick again.
                if (options.port() != 0 || attempt == PortInUseException.PICKED_PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.info("PostgreSQL: port {} was taken before the server bound it; picking another", postgres.port);
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
        }
    }

    /**
     * Starts the server again after {@link #stop()}, on the same data dir and port. Does nothing
     * if it is running.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("LocalPostgres on port " + port + " is closed; start a new one");
        }
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        if (!temporary) {
            StalePostmaster.stopIfRunning(dataDir, options.startupTimeout());
        }
        Ports.requireFree(port, "PostgreSQL", "LocalPostgres.Options.withPort");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // Deleting is ours to decide: a temporary dir must survive restart().
                .setCleanDataDirectory(false)
                // One hook per LocalPostgres (below), not one more per restart.
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(options.startupTimeout())
                .setLocaleConfig("locale", "C");
        PostgresSettings.merge(options.serverSettings()).forEach(builder::setServerConfig);
        try {
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            // A server that started but never answered would otherwise run on without an owner.
            try {
                StalePostmaster.stopIfRunning(dataDir, Duration.ofSeconds(10));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new EmbeddedException(
                    "PostgreSQL on port " + port + " (data dir " + dataDir + ") failed to start: "
                            + e.getMessage() + ". The server's own output is logged under io.zonky.test.db.postgres;"
                            + " a slow machine may need LocalPostgres.Options.withStartupTimeout.",
                    e);
        }
        if (!hookRegistered && options.stopOnJvmExit()) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
        LOG.info(
                "PostgreSQL ready on {}:{} (data dir {}) in {} ms",
                HOST,
                port,
                dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Stops the server with a fast shutdown (open sessions are ended, committed data is kept),
     * bounded by a few seconds. Does nothing if it is not running.
     *
     * @throws EmbeddedException if the server still runs afterwards
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        EmbeddedPostgres stopping = server;
        server = null;
        try {
            stopping.close();
        } catch (IOException e) {
            throw new EmbeddedException("PostgreSQL on port " + port + " failed to stop: " + e.getMessage(), e);
        }
        // The bundled close() gives pg_ctl five seconds and returns either way; the pid file tells the
        // truth. A logical-replication walsender can hold a fast shutdown until its client lets go,
        // so fall back to signalling the postmaster (fast, then kill): committed data is safe either way.
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            StalePostmaster.stopIfRunning(dataDir, Duration.ofSeconds(15));
        }
        if (StalePostmaster.isRunning(dataDir)) {
            throw new EmbeddedException("PostgreSQL on port " + port + " did not stop: " + dataDir
                    + "/postmaster.pid is still there. See the log under io.zonky.test.db.postgres.");
        }
    }

    /** Stops and starts the server on the same data dir and port; committed data survives. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the server for good and deletes the data dir if it was temporary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            if (hookRegistered) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // The hook is running or about to; it finds the server stopped.
                }
            }
            if (temporary) {
                Directories.deleteRecursively(dataDir);
            }
        }
    }

    /**
     * Creates {@code database} unless it exists. Event triggers and extensions are per
     * database, so a test that wants isolation from others starts here.
     */
    public void createDatabaseIfMissing(String database) {
        Objects.requireNonNull(database, "database");
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD)) {
            try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new EmbeddedException("PostgreSQL: could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** {@code jdbc:postgresql://localhost:<port>/<database>}; user and password go separately. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + Objects.requireNonNull(database, "database");
    }

    /** The JDBC URL of the {@value #DEFAULT_DATABASE} database. */
    public String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    /** {@value #USER}, a superuser. */
    public String user() {
        return USER;
    }

    /** {@value #PASSWORD}; the server accepts any password. */
    public String password() {
        return PASSWORD;
    }

    /** {@value #HOST}. */
    public String host() {
        return HOST;
    }

    /** The port, fixed for the life of this instance. */
    public int port() {
        return port;
    }

    /** The data directory in use, temporary or given. */
    public Path dataDir() {
        return dataDir;
    }

    /** True between a successful start and the next stop. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("PostgreSQL on port {} did not stop cleanly at JVM exit", port, e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("undercurrent-pg-");
        } catch (IOException e) {
            throw new EmbeddedException(
                    "PostgreSQL: cannot create a temporary data dir: " + e
                            + "; give LocalPostgres.Options.withDataDir a writable directory",
                    e);
        }
    }

    /**
     * Immutable options of a {@link LocalPostgres}. Start from {@link #defaults()} and derive
     * variants with the {@code with...} methods.
     */
    public static final class Options {

        private final Path dataDir;
        private final int port;
        private final Map<String, String> serverSettings;
        private final Duration startupTimeout;
        private final boolean stopOnJvmExit;

        private Options(
                Path dataDir,
                int port,
                Map<String, String> serverSettings,
                Duration startupTimeout,
                boolean stopOnJvmExit) {
            this.dataDir = dataDir;
            this.port = port;
            this.serverSettings = serverSettings;
            this.startupTimeout = startupTimeout;
            this.stopOnJvmExit = stopOnJvmExit;
        }

        /** Temporary data dir, a free port, no extra settings, 30 s startup timeout. */
        public static Options defaults() {
            return new Options(null, 0, Map.of(), Duration.ofSeconds(30), true);
        }

        /**
         * Where the cluster lives. Null (the default) means a temporary directory, deleted on
         * close. A given directory is initialised if empty or missing, reused if it holds a
         * cluster, and never deleted.
         */
        public Options withDataDir(Path dataDir) {
            return new Options(dataDir, port, serverSettings, startupTimeout, stopOnJvmExit);
        }

        /** Port on localhost; 0 (the default) picks a free one, kept across restarts. */
        public Options withPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("PostgreSQL port must be 0..65535, was " + port);
            }
            return new Options(dataDir, port, serverSettings, startupTimeout, stopOnJvmExit);
        }

        /**
         * Adds or replaces a server setting (PostgreSQL's own name, e.g. {@code max_connections});
         * it wins over the change-data-capture settings. Values must not contain whitespace.
         */
        public Options withServerSetting(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(serverSettings);
            copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Options(dataDir, port, Collections.unmodifiableMap(copy), startupTimeout, stopOnJvmExit);
        }

        /** How long a start may take until the server accepts connections; default 30 s. */
        public Options withStartupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            return new Options(dataDir, port, serverSettings, timeout, stopOnJvmExit);
        }

        /**
         * Whether a JVM shutdown hook stops the server (default true), so it never outlives the JVM.
         * An owner that stops it itself in a given order (after the processes that read from it)
         * turns this off: shutdown hooks run concurrently, so the hook would stop the database
         * while its readers are still running.
         */
        public Options withStopOnJvmExit(boolean stop) {
            return new Options(dataDir, port, serverSettings, startupTimeout, stop);
        }

        public boolean stopOnJvmExit() {
            return stopOnJvmExit;
        }

        /** Null means temporary. */
        public Path dataDir() {
            return dataDir;
        }

        public int port() {
            return port;
        }

        /** Unmodifiable; never null. */
        public Map<String, String> serverSettings() {
            return serverSettings;
        }

        public Duration startupTimeout() {
            return startupTimeout;
        }
    }
}
