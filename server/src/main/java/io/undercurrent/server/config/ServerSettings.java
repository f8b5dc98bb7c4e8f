package io.undercurrent.server.config;

import static io.undercurrent.settings.Parsers.bool;
import static io.undercurrent.settings.Parsers.duration;
import static io.undercurrent.settings.Parsers.integer;
import static io.undercurrent.settings.Parsers.list;
import static io.undercurrent.settings.Parsers.matching;
import static io.undercurrent.settings.Parsers.oneOf;
import static io.undercurrent.settings.Parsers.string;

import io.undercurrent.edge.EdgeSettingDeclarations;
import io.undercurrent.edge.TokenSettings;
import io.undercurrent.ingest.IngestSettingDeclarations;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server: the ones the server itself reads (role, log, embedded, kafka,
 * sources, http, jwt, auth) declared here, and the roles' own settings, which each module declares
 * once beside the code that uses them ({@link RulesSettingDeclarations}, {@link EdgeSettingDeclarations},
 * {@link RouterSettingDeclarations}, {@link IngestSettingDeclarations}), composed into {@link #ALL}.
 * The configuration reference (server/CONFIG.md) is generated from {@link #ALL} and a test keeps it
 * in step. Source settings are templates: {@code sources.<name>.host} for each configured source.
 */
public final class ServerSettings {

    private ServerSettings() {}

    public static final Setting<Role> ROLE = Setting.of(
            "role",
            "all / ingest / router / edge",
            Role.ALL,
            oneOf(Role.class),
            "Which roles this process runs. The command line's --role overrides it.");

    public static final Setting<LogFormat> LOG_FORMAT = Setting.of(
            "log.format",
            "text / json",
            LogFormat.TEXT,
            oneOf(LogFormat.class),
            "How log lines are written to standard output: text, or json (one JSON object per line with Elastic Common "
                    + "Schema fields: @timestamp, log.level, log.logger, message, error.*), for log pipelines. With json the "
                    + "start-up banner is logged as one line instead of printed.");

    public static final Setting<Boolean> EMBEDDED = Setting.of(
            "embedded.enabled",
            "boolean",
            true,
            bool(),
            "Run the embedded default: an embedded PostgreSQL with a demo schema and an in-process Kafka broker. "
                    + "Set to false to use your own database and Kafka cluster.");
    public static final Setting<Boolean> EMBEDDED_DEMO_SOURCE = Setting.of(
            "embedded.demo-source",
            "boolean",
            true,
            bool(),
            "With embedded.enabled: also start the embedded PostgreSQL seeded with the demo schema, as source 'app' beside "
                    + "the sources you configure (sources.*), and serve the example apps on it. Set to false to run the "
                    + "embedded Kafka with your own sources only (then no example app is served). sources.default, when "
                    + "unset, stays your only source if you configured one, else app.");
    public static final Setting<String> EMBEDDED_DATA_DIR = Setting.of(
            "embedded.data-dir",
            "path",
            "./undercurrent-data",
            string(),
            "Where the embedded PostgreSQL and Kafka keep their data, so a restart keeps rows, offsets and subscriptions.");
    public static final Setting<Integer> EMBEDDED_POSTGRES_PORT = Setting.of(
            "embedded.postgres-port",
            "port",
            54329,
            integer(0, 65535),
            "Port of the embedded PostgreSQL (connect with psql postgresql://postgres:postgres@localhost:54329/app); 0 picks a free one.");
    public static final Setting<Integer> EMBEDDED_KAFKA_PORT = Setting.of(
            "embedded.kafka-port",
            "port",
            59092,
            integer(0, 65535),
            "Port of the embedded Kafka broker; 0 picks a free one.");

    public static final Setting<String> KAFKA_BOOTSTRAP = Setting.of(
            "kafka.bootstrap-servers",
            "host:port,...",
            null,
            matching("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*", "host:port pairs separated by commas"),
            "Your Kafka cluster. Required unless embedded.enabled is true.");
    public static final Setting<String> TOPIC_PREFIX = Setting.of(
            "kafka.topic-prefix",
            "name",
            "undercurrent",
            matching("[A-Za-z0-9._-]{1,100}", "letters, digits, '.', '_' or '-'"),
            "Prefix of every topic Undercurrent creates, so several deployments can share a cluster.");
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.of(
            "kafka.replication-factor",
            "integer",
            1,
            integer(1, 10),
            "Replication factor of topics Undercurrent creates (use 3 in production).");
    public static final Setting<Integer> CHANGE_PARTITIONS = Setting.of(
            "kafka.change-partitions",
            "integer",
            1,
            integer(1, 1000),
            "Partitions of a new change topic; routers split them. Existing topics keep theirs.");
    public static final Setting<String> KAFKA_PROPERTIES = Setting.of(
            "kafka.properties.*",
            "Kafka client property",
            null,
            string(),
            "Any Kafka client property (security.protocol, ssl.*, sasl.*, ...), given to every Kafka client of every role: "
                    + "ingest's producers, admin clients and Debezium's offset store and schema history, the routers' consumers "
                    + "and producer, the edges' consumer and producer. In YAML under kafka: properties:, in the environment "
                    + "UNDERCURRENT_KAFKA_PROPERTIES_SECURITY_PROTOCOL for security.protocol (underscores become dots). A key "
                    + "that is no Kafka client property stops start-up, and so does one Undercurrent sets itself (bootstrap.servers, "
                    + "serializers, acks, enable.idempotence, max.in.flight.requests.per.connection, enable.auto.commit, group.id, "
                    + "client.id, auto.offset.reset, transactional.id, isolation.level): changing those would break at-least-once "
                    + "delivery. Values of keys naming a password, secret, token or JAAS config are never printed. Ignored, with "
                    + "a warning, when embedded.enabled is true (the embedded broker is local and plain).");

    public static final Setting<String> DEFAULT_SOURCE = Setting.of(
            "sources.default",
            "name",
            null,
            string(),
            "The source a subscription or rule without 'source' means. Defaults to the only source when there is one.");

    public static final Setting<SourceKind> SOURCE_KIND = Setting.of(
            "sources.*.kind",
            "postgres / mysql / mariadb / mongodb",
            SourceKind.POSTGRES,
            oneOf(SourceKind.class),
            "Which database the source is. Ingest captures all four and live queries are served over all four; a"
                    + " mysql source needs gtid_mode=ON and the RELOAD privilege (each snapshot read takes a brief global"
                    + " read lock), a mongodb source a replica set.");
    public static final Setting<String> SOURCE_HOST =
            Setting.of("sources.*.host", "host", "localhost", string(), "Database host.");
    public static final Setting<Integer> SOURCE_PORT = Setting.of(
            "sources.*.port",
            "port",
            5432,
            integer(1, 65535),
            "Database port; defaults to the kind's own (5432, 3306, 3306, 27017).");
    public static final Setting<String> SOURCE_DATABASE =
            Setting.of("sources.*.database", "name", null, string(), "Database name (required).");
    public static final Setting<String> SOURCE_USER = Setting.of(
            "sources.*.user",
            "name",
            null,
            string(),
            "A user with the REPLICATION attribute that can read the captured tables (required).");
    public static final Setting<String> SOURCE_PASSWORD =
            Setting.secret("sources.*.password", "secret", "", string(), "Its password.");
    public static final Setting<List<String>> SOURCE_TABLES = Setting.of(
            "sources.*.tables",
            "list",
            List.of(),
            list(),
            "Tables to capture (schema.table); empty captures every table, including ones created later.");
    public static final Setting<String> SOURCE_CONNECTION_STRING = Setting.secret(
            "sources.*.connection-string",
            "secret",
            "",
            string(),
            "MongoDB only: the connection string (mongodb://user:password@host1,host2/?replicaSet=rs0); wins over host, port, user and password.");
    public static final Setting<Integer> SOURCE_POOL = Setting.of(
            "sources.*.snapshot-pool-size",
            "integer",
            4,
            integer(1, 100),
            "Most connections an edge opens to this source for initial results.");

    public static final Setting<String> HTTP_HOST = Setting.of(
            "http.host",
            "address",
            null,
            string(),
            "Address the HTTP/WebSocket server listens on. Unset, it is 127.0.0.1 (this machine only) when embedded.enabled is "
                    + "true, and 0.0.0.0 (every interface) otherwise. Setting 0.0.0.0 with the embedded default and no jwt.secret "
                    + "lets anyone who can reach the port mint tokens at /dev/token.");
    public static final Setting<Integer> HTTP_PORT = Setting.of(
            "http.port", "port", 8080, integer(0, 65535), "Port of the HTTP/WebSocket server; 0 picks a free one.");
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = Setting.of(
            "http.max-connections",
            "integer",
            null,
            integer(1, 1_000_000),
            "Most open HTTP and WebSocket connections; more are closed as soon as they are accepted. "
                    + "Defaults to 10000, or to what the file-descriptor limit (ulimit -n) leaves after the 1024 descriptors kept "
                    + "for Kafka, the rules and database connections, when that is less. A value above that budget stops start-up.");
    public static final Setting<Duration> HTTP_REQUEST_TIMEOUT = Setting.of(
            "http.request-timeout",
            "duration",
            Duration.ofSeconds(10),
            duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "Time a client has to send a complete request head, from connecting or from its previous request; "
                    + "slower connections (idle or slowloris) are closed. WebSocket connections, once open, follow edge.idle-timeout.");

    public static final Setting<String> JWT_SECRET = Setting.secret(
            "jwt.secret",
            "secret",
            null,
            string(),
            "HS256 secret (at least 32 bytes) that client tokens are signed with. The edge role needs it or jwt.jwks-url (or "
                    + "both). With neither, embedded.enabled=true makes and prints a development secret and mints tokens with it at "
                    + "/dev/token; a secret set here is never used to mint tokens.");
    public static final Setting<String> JWT_JWKS_URL = Setting.of(
            "jwt.jwks-url",
            "url",
            null,
            matching("https?://\\S+", "an http:// or https:// URL"),
            "Your identity provider's JSON Web Key Set (Auth0, Keycloak, Cognito, Supabase, Clerk, ...): tokens signed with "
                    + "RS256 or ES256 by its keys are accepted. Fetched at start (retried with backoff while unreachable; "
                    + "/health/ready waits for it), cached for 5 minutes and refreshed in the background, and fetched again when "
                    + "a token names a key id it lacks (at most twice per 30 s), so rotating keys needs no restart. /dev/token is "
                    + "never served when it is set.");
    public static final Setting<String> JWT_ISSUER = Setting.of(
            "jwt.issuer",
            "text",
            null,
            string(),
            "When set, a token's iss claim must be exactly this (e.g. https://example.eu.auth0.com/).");
    public static final Setting<List<String>> JWT_AUDIENCE = Setting.of(
            "jwt.audience",
            "list",
            List.of(),
            list(),
            "When set, a token's aud claim must name one of these (one value, or several separated by commas).");
    public static final Setting<List<String>> JWT_ALGORITHMS = Setting.of(
            "jwt.algorithms",
            "list",
            List.of(),
            list(),
            "Accepted signing algorithms: HS256 (with jwt.secret), RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, "
                    + "ES512 (with jwt.jwks-url). Empty means HS256 when jwt.secret is set plus RS256 and ES256 when jwt.jwks-url "
                    + "is. alg none is never accepted, and HS256 is checked with jwt.secret only, never with a JWKS key.");
    public static final Setting<String> JWT_CLAIMS_PATH = Setting.of(
            "jwt.claims-path",
            "claim name",
            null,
            string(),
            "A claim holding an object whose members rules should see at the top level of auth, for providers that nest "
                    + "claims (app_metadata, https://hasura.io/jwt/claims, realm_access): first taken whole as a claim name, "
                    + "otherwise as a path split at dots. Its members win over top-level claims, except iss, sub, aud, exp, nbf, "
                    + "iat and jti.");
    public static final Setting<Duration> JWT_CLOCK_SKEW = Setting.of(
            "jwt.clock-skew",
            "duration",
            TokenSettings.DEFAULT_CLOCK_SKEW,
            duration(Duration.ZERO, Duration.ofMinutes(5)),
            "How far the token issuer's clock may run ahead of this server's: a token whose nbf is at most this far in the "
                    + "future is accepted. exp is exact, with no skew: a connection's frames stop at its token's exp.");
    public static final Setting<Boolean> ALLOW_ANONYMOUS = Setting.of(
            "auth.allow-anonymous",
            "boolean",
            true,
            bool(),
            "Let clients subscribe without a token; rules then see auth == null, and default deny still applies.");
    public static final Setting<Boolean> JWT_REQUIRE_EXP = Setting.of(
            "jwt.require-exp",
            "boolean",
            true,
            bool(),
            "Refuse tokens without an exp (expiry) claim. Set to false only if your tokens cannot carry one: such a token "
                    + "then stays valid for as long as its connection lasts.");

    /**
     * Every setting, in documentation order: the server's own (role, log, embedded, kafka, sources, http,
     * jwt, auth) and each module's declarations.
     */
    public static final List<Setting<?>> ALL = concat(
            List.of(
                    ROLE,
                    LOG_FORMAT,
                    EMBEDDED,
                    EMBEDDED_DEMO_SOURCE,
                    EMBEDDED_DATA_DIR,
                    EMBEDDED_POSTGRES_PORT,
                    EMBEDDED_KAFKA_PORT,
                    KAFKA_BOOTSTRAP,
                    TOPIC_PREFIX,
                    REPLICATION_FACTOR,
                    CHANGE_PARTITIONS,
                    KAFKA_PROPERTIES,
                    DEFAULT_SOURCE,
                    SOURCE_KIND,
                    SOURCE_HOST,
                    SOURCE_PORT,
                    SOURCE_DATABASE,
                    SOURCE_USER,
                    SOURCE_PASSWORD,
                    SOURCE_TABLES,
                    SOURCE_CONNECTION_STRING,
                    SOURCE_POOL),
            RulesSettingDeclarations.ALL,
            List.of(
                    HTTP_HOST,
                    HTTP_PORT,
                    HTTP_MAX_CONNECTIONS,
                    HTTP_REQUEST_TIMEOUT,
                    JWT_SECRET,
                    JWT_JWKS_URL,
                    JWT_ISSUER,
                    JWT_AUDIENCE,
                    JWT_ALGORITHMS,
                    JWT_CLAIMS_PATH,
                    JWT_CLOCK_SKEW,
                    ALLOW_ANONYMOUS,
                    JWT_REQUIRE_EXP),
            EdgeSettingDeclarations.ALL,
            RouterSettingDeclarations.ALL,
            IngestSettingDeclarations.ALL);

    @SafeVarargs
    private static List<Setting<?>> concat(List<Setting<?>>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    /** The per-source templates ({@code sources.*.x}). */
    public static final List<Setting<?>> SOURCE_TEMPLATES = List.of(
            SOURCE_KIND,
            SOURCE_HOST,
            SOURCE_PORT,
            SOURCE_DATABASE,
            SOURCE_USER,
            SOURCE_PASSWORD,
            SOURCE_TABLES,
            SOURCE_CONNECTION_STRING,
            SOURCE_POOL);
}
