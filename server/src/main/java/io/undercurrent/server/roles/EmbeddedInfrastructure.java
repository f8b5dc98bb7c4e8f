package io.undercurrent.server.roles;

import io.undercurrent.embedded.DemoDatabase;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.config.SourceConfig;
import io.undercurrent.settings.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a local PostgreSQL seeded with the demo schema and an in-process Kafka
 * broker, both keeping their data under {@code embedded.data-dir}, plus a development JWT secret
 * kept beside them. Real components, started from Maven Central artifacts; stopped last.
 */
public final class EmbeddedInfrastructure implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);
    public static final String SOURCE = "app";
    public static final String DATABASE = "app";

    private final LocalPostgres postgres;
    private final EmbeddedKafka kafka;
    private final String devSecret;

    private EmbeddedInfrastructure(LocalPostgres postgres, EmbeddedKafka kafka, String devSecret) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.devSecret = devSecret;
    }

    /**
     * Starts the demo database (unless {@code embedded.demo-source} is false) and the broker side by
     * side: the database runs in processes of its own and mostly waits for them, the broker runs in
     * this JVM. Returns once both are ready; when either fails, the other is stopped (after its start
     * ends) and the failure is thrown, naming what failed, with the other's failure suppressed.
     */
    public static EmbeddedInfrastructure start(Config config) {
        Path dataDir = Path.of(config.get(ServerSettings.EMBEDDED_DATA_DIR)).toAbsolutePath();
        StartAside<LocalPostgres> postgres = config.get(ServerSettings.EMBEDDED_DEMO_SOURCE)
                ? StartAside.run(
                        "embedded-postgres-start", "the embedded PostgreSQL", () -> demoDatabase(config, dataDir))
                : StartAside.done(null);
        EmbeddedKafka kafka = null;
        try {
            kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(dataDir.resolve("kafka"))
                    .withPort(config.get(ServerSettings.EMBEDDED_KAFKA_PORT)));
            return new EmbeddedInfrastructure(postgres.await(), kafka, devSecret(dataDir));
        } catch (RuntimeException e) {
            postgres.discard(LocalPostgres::close, e);
            if (kafka != null) {
                try {
                    kafka.close();
                } catch (RuntimeException stopping) {
                    e.addSuppressed(stopping);
                }
            }
            throw e;
        }
    }

    private static LocalPostgres demoDatabase(Config config, Path dataDir) {
        LocalPostgres postgres = LocalPostgres.start(LocalPostgres.Options.defaults()
                .withDataDir(dataDir.resolve("postgres"))
                .withPort(config.get(ServerSettings.EMBEDDED_POSTGRES_PORT))
                // ServerNode stops the database last, after ingest; a hook of its own would race that.
                .withStopOnJvmExit(false));
        try {
            postgres.createDatabaseIfMissing(DATABASE);
            DemoDatabase.seed(postgres.jdbcUrl(DATABASE), postgres.user(), postgres.password());
            return postgres;
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** A random secret made once per data directory, so development tokens survive restarts. */
    private static String devSecret(Path dataDir) {
        Path file = dataDir.resolve("dev-jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            Files.createDirectories(dataDir);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the development JWT secret in " + file, e);
        }
    }

    /**
     * The configuration with the embedded Kafka and secret filled in, and the demo database as source
     * {@value #SOURCE} beside the configured sources (unless {@code embedded.demo-source} is false).
     *
     * @throws ConfigException when a configured source takes the demo's name, or none is left to capture
     */
    public Config apply(Config config) throws ConfigException {
        Map<Setting<?>, Object> overrides = new LinkedHashMap<>();
        overrides.put(ServerSettings.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        // With an identity provider's keys, tokens come from it alone: no development secret to sign with.
        if (!config.isSet(ServerSettings.JWT_SECRET) && !config.isSet(ServerSettings.JWT_JWKS_URL)) {
            overrides.put(ServerSettings.JWT_SECRET, devSecret);
        }
        Map<String, SourceConfig> sources = new LinkedHashMap<>(config.sources());
        String defaultSource = config.defaultSource();
        if (postgres != null) {
            if (sources.containsKey(SOURCE)) {
                throw new ConfigException(List.of("source '" + SOURCE + "' is the name of the embedded demo database:"
                        + " name your source differently, or set embedded.demo-source=false to run the embedded Kafka"
                        + " with your sources only"));
            }
            sources.put(
                    SOURCE,
                    new SourceConfig(
                            SOURCE,
                            SourceKind.POSTGRES,
                            LocalPostgres.HOST,
                            postgres.port(),
                            DATABASE,
                            postgres.user(),
                            postgres.password(),
                            List.of(),
                            4));
            if (defaultSource == null) {
                defaultSource = SOURCE;
            }
        } else if (sources.isEmpty()) {
            throw new ConfigException(List.of("embedded.demo-source is false and no source is configured: configure"
                    + " yours under sources: (or as UNDERCURRENT_SOURCES_<NAME>_* variables), or leave"
                    + " embedded.demo-source at true"));
        }
        Config embedded = config.with(overrides, sources, defaultSource);
        if (!config.kafkaProperties().isEmpty()) {
            LOG.warn(
                    "kafka.properties.* ({}) ignored: the embedded Kafka broker is local and plain; set embedded.enabled=false "
                            + "to use them with your cluster",
                    String.join(", ", config.kafkaProperties().keySet()));
            embedded = embedded.withoutKafkaProperties();
        }
        return embedded;
    }

    /** Whether the demo database runs (embedded.demo-source): the example apps and their writes need it. */
    public boolean hasDemo() {
        return postgres != null;
    }

    /** The demo database's URL for psql; null without the demo. */
    public String psqlUrl() {
        if (postgres == null) {
            return null;
        }
        return "postgresql://" + postgres.user() + ":" + postgres.password() + "@localhost:" + postgres.port() + "/"
                + DATABASE;
    }

    public String devSecret() {
        return devSecret;
    }

    /** A new connection to the demo database, as its superuser: the example apps write with it. */
    public Connection connect() throws SQLException {
        if (postgres == null) {
            throw new SQLException("the embedded demo database is off (embedded.demo-source=false)");
        }
        return DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.user(), postgres.password());
    }

    /** The embedded broker, for tests that stop and restart it. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The embedded demo database, for tests that stop and restart it; null without the demo. */
    public LocalPostgres postgres() {
        return postgres;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public boolean healthy() {
        return (postgres == null || postgres.isRunning()) && kafka.isRunning();
    }

    @Override
    public Object status() {
        return Map.of(
                "postgres",
                postgres == null
                        ? "off (embedded.demo-source=false)"
                        : postgres.isRunning()
                                ? psqlUrl().replace(":" + postgres.password() + "@", ":****@")
                                : "stopped",
                "kafka",
                kafka.isRunning() ? kafka.bootstrapServers() : "stopped");
    }

    /** Kafka first, then the database: everything that reads them has stopped already. */
    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
        LOG.info(postgres == null ? "embedded Kafka stopped" : "embedded Kafka and PostgreSQL stopped");
    }
}
