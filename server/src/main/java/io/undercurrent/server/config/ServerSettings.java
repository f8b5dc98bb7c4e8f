package io.undercurrent.server.config;

import static io.undercurrent.server.config.Parsers.bool;
import static io.undercurrent.server.config.Parsers.bytes;
import static io.undercurrent.server.config.Parsers.duration;
import static io.undercurrent.server.config.Parsers.integer;
import static io.undercurrent.server.config.Parsers.list;
import static io.undercurrent.server.config.Parsers.matching;
import static io.undercurrent.server.config.Parsers.oneOf;
import static io.undercurrent.server.config.Parsers.string;

import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.ingest.Compression;
import io.undercurrent.ingest.SourceKind;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, declared once: key, type, default, validation, documentation. The
 * configuration reference (server/CONFIG.md) is generated from this class and a test keeps it in
 * step. Source settings are templates: {@code sources.<name>.host} for each configured source.
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
            "Which database the source is. Ingest captures all four; live queries are served over postgres and"
                    + " mariadb sources (mysql and mongodb sources are captured, their live queries refused).");
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

    public static final Setting<String> RULES_DIR = Setting.of(
            "rules.dir",
            "path",
            "./rules",
            string(),
            "Folder of rule files (*.yaml). The command line's --rules overrides it.");
    public static final Setting<Boolean> RULES_HOT_RELOAD = Setting.of(
            "rules.hot-reload",
            "boolean",
            true,
            bool(),
            "Pick up edited rule files while running. A bad edit is reported and never goes live.");
    public static final Setting<Integer> RULES_LOOKUPS_MAX_ROWS = Setting.of(
            io.undercurrent.rules.LookupLimits.MAX_ROWS_SETTING,
            "integer",
            (int) io.undercurrent.rules.LookupLimits.DEFAULT.maxRowsPerTable(),
            integer(1, 1_000_000_000),
            "Most rows one table looked up by rules (lookups: in a rule file) may hold in memory. A table that would "
                    + "hold more is refused with an error naming it and this setting, and rules that look it up deny until "
                    + "it is loaded again.");
    public static final Setting<Long> RULES_LOOKUPS_MAX_BYTES = Setting.of(
            io.undercurrent.rules.LookupLimits.MAX_BYTES_SETTING,
            "size",
            io.undercurrent.rules.LookupLimits.DEFAULT.maxBytes(),
            bytes(1024, 1024L * 1024 * 1024 * 1024),
            "Most memory, estimated, that all tables looked up by rules may take together (each row once, plus an "
                    + "index entry per key that rules look it up by; see rules-engine/README.md, Lookups). Exceeding it is "
                    + "refused like rules.lookups.max-rows-per-table.");

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
            Duration.ofSeconds(30),
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

    public static final Setting<String> EDGE_ID = Setting.of(
            "edge.id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,100}", "letters, digits, '.', '_' or '-'"),
            "Stable name of this edge; names its delivery topic. Defaults to edge-<hostname>.");
    public static final Setting<Duration> EDGE_IDLE_TIMEOUT = Setting.of(
            "edge.idle-timeout",
            "duration",
            Duration.ofSeconds(120),
            duration(Duration.ofSeconds(5), Duration.ofHours(24)),
            "Close connections silent this long (4408).");
    public static final Setting<Long> EDGE_MAX_PENDING = Setting.of(
            "edge.max-pending-bytes",
            "size",
            8L * 1024 * 1024,
            bytes(64 * 1024, 1024L * 1024 * 1024),
            "Unsent bytes one client may have queued before it is disconnected (4429).");
    public static final Setting<Integer> EDGE_MAX_SUBSCRIPTIONS =
            Setting.of("edge.max-subscriptions", "integer", 100, integer(1, 100_000), "Live queries per connection.");
    public static final Setting<Integer> EDGE_MAX_SNAPSHOT_ROWS = Setting.of(
            "edge.max-snapshot-rows",
            "integer",
            10_000,
            integer(1, 10_000_000),
            "Rows in one initial result; more is a limit_exceeded error.");
    public static final Setting<Integer> EDGE_FRAMES_PER_SECOND = Setting.of(
            "edge.frames-per-second",
            "integer",
            50,
            integer(1, 100_000),
            "Client frames per second allowed per connection (bursts of twice that).");
    public static final Setting<Integer> EDGE_MAX_BUFFERED_DELTAS = Setting.of(
            "edge.max-buffered-deltas",
            "integer",
            10_000,
            integer(100, 10_000_000),
            "Deltas held for one live query while its initial result is read; more and the query "
                    + "starts over with a fresh read.");
    public static final Setting<Duration> EDGE_HEARTBEAT_TTL = Setting.of(
            "edge.heartbeat-ttl",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofSeconds(10), Duration.ofHours(1)),
            "How long routers keep this edge's live queries after its last heartbeat, should it die without a goodbye; the "
                    + "edge announces it in every heartbeat and sends one every third of it. Shorter frees a dead edge's "
                    + "routing sooner, at one more small record on the subscriptions topic per edge and period.");
    public static final Setting<Integer> CHANNEL_ACTIONS_PER_SECOND = Setting.of(
            "channel.actions-per-second",
            "integer",
            10,
            integer(1, 10_000),
            "Channel joins and publishes (presence, typing) allowed per connection per second, together (bursts of "
                    + "twice that); beyond, the frame is answered rate_limited and does nothing.");
    public static final Setting<Integer> CHANNEL_MAX_MESSAGE_BYTES = Setting.of(
            "channel.max-message-bytes",
            "integer",
            4096,
            integer(16, 60 * 1024),
            "Largest data of one message published to a channel, in bytes of its JSON; larger is limit_exceeded.");
    public static final Setting<Integer> CHANNEL_MAX_JOINED = Setting.of(
            "channel.max-joined",
            "integer",
            20,
            integer(1, 10_000),
            "Most channels one connection may be in at once; more is limit_exceeded.");
    public static final Setting<Integer> EDGE_WORKER_THREADS = Setting.of(
            "edge.worker-threads",
            "integer",
            16,
            integer(2, 1000),
            "Most threads an edge reads table schemas and initial results with (two stay idle); each read holds one "
                    + "database connection, so sources.<name>.snapshot-pool-size bounds the reads of one source at a time.");
    public static final Setting<Integer> EDGE_WORKER_QUEUE = Setting.of(
            "edge.worker-queue",
            "integer",
            1024,
            integer(1, 1_000_000),
            "Reads waiting for a worker thread; a subscribe or initial result beyond it is answered 'overloaded' (retry "
                    + "with backoff), never read on a network thread.");
    public static final Setting<Duration> EDGE_SCHEMA_CACHE_TTL = Setting.of(
            "edge.schema-cache-ttl",
            "duration",
            EdgeSettings.DEFAULT_SCHEMA_CACHE_TTL,
            duration(Duration.ofSeconds(1), Duration.ofHours(24)),
            "How long an edge uses a table's schema (columns, types, primary key) read from its source before reading it "
                    + "again. Shorter notices an altered table sooner, at one catalog read per table and period.");
    public static final Setting<Duration> EDGE_DELIVERY_RETRY_BACKOFF = Setting.of(
            "edge.delivery-retry-backoff",
            "duration",
            EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF,
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "Pause before an edge reads its delivery topic again after Kafka failed it; it doubles on each failure in a "
                    + "row up to edge.delivery-retry-backoff-max. Meanwhile /health shows the edge not up.");
    public static final Setting<Duration> EDGE_DELIVERY_RETRY_BACKOFF_MAX = Setting.of(
            "edge.delivery-retry-backoff-max",
            "duration",
            EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF_MAX,
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between an edge's attempts to read its delivery topic; a failure that needs action (Kafka "
                    + "credentials, ACLs) is retried at this pace, so fixing its cause is enough. At least "
                    + "edge.delivery-retry-backoff.");
    public static final Setting<Duration> EDGE_WINDOW_READ_DELAY = Setting.of(
            "edge.window-read-delay",
            "duration",
            EdgeSettings.DEFAULT_WINDOW_READ_DELAY,
            duration(Duration.ZERO, Duration.ofSeconds(10)),
            "Pause before a windowed live query (orderBy with limit) reads its window again after a change touched it, "
                    + "so a burst of changes shares one database read. Longer saves reads, at that much latency.");
    public static final Setting<Duration> EDGE_REGISTRATION_TIMEOUT = Setting.of(
            "edge.registration-timeout",
            "duration",
            Duration.ofSeconds(10),
            duration(Duration.ofSeconds(3), Duration.ofMinutes(10)),
            "Longest a subscribe waits for the routers to acknowledge it (it is registered again after a third and two thirds "
                    + "of this); then the client gets an internal error saying no router acknowledged it, and retries. Keep it "
                    + "above router.session-timeout, so a subscribe made while a router dies is served by the router taking over.");

    public static final Setting<String> EDGE_RESUME_SECRET = Setting.secret(
            "edge.resume-secret",
            "secret",
            null,
            matching("(?s).{16,}", "at least 16 characters"),
            "Secret every edge of the deployment signs the positions of snapshot and changes frames with, and checks a "
                    + "resuming client's position against (HMAC-SHA256; a position altered or issued by another deployment "
                    + "gets reset and a fresh snapshot). Set the same value on every edge. Defaults to jwt.secret; with "
                    + "neither, positions are bound to kafka.topic-prefix only: they still tell another deployment's "
                    + "positions apart, but not a forged one (which can only ask for changes the subscriber may read anyway).");

    public static final Setting<Boolean> EDGE_SSE_TOKEN_PARAMETER = Setting.of(
            "edge.sse-token-parameter",
            "boolean",
            false,
            bool(),
            "Accept the token as a token query parameter on GET /v1/live/sse, for browsers' EventSource, which cannot "
                    + "send an Authorization header. Off by default: a URL is written to access logs and proxies.");

    public static final Setting<String> ROUTER_ID = Setting.of(
            "router.id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,100}", "letters, digits, '.', '_' or '-'"),
            "Name of this router in logs and acknowledgements. Defaults to router-<hostname>.");
    public static final Setting<Duration> ROUTER_SESSION_TIMEOUT = Setting.of(
            "router.session-timeout",
            "duration",
            Duration.ofSeconds(3),
            duration(Duration.ofSeconds(1), Duration.ofMinutes(30)),
            "How soon the other routers take over the change partitions of a router that died without a goodbye (kill -9, "
                    + "crash, network loss); deliveries on those partitions pause this long, plus a rebalance. Kafka's "
                    + "consumer-group session timeout. Brokers accept only values from their group.min.session.timeout.ms "
                    + "(6 s unless changed; the embedded broker allows 1 s): below it the router uses the broker's minimum "
                    + "and says so in its log.");
    public static final Setting<Duration> ROUTER_HEARTBEAT_INTERVAL = Setting.of(
            "router.heartbeat-interval",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "How often a router tells Kafka it is alive; at most a third of router.session-timeout.");
    public static final Setting<Duration> ROUTER_POLL_TIMEOUT = Setting.of(
            "router.poll-timeout",
            "duration",
            Duration.ofMillis(20),
            duration(Duration.ofMillis(1), Duration.ofSeconds(5)),
            "Longest a router waits for changes in one turn of its loop; also bounds how late it takes up a new "
                    + "subscription while no changes arrive.");
    public static final Setting<Duration> ROUTER_RETRY_BACKOFF = Setting.of(
            "router.retry-backoff",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "First pause before a router retries after Kafka refused a write, or starts its loop again after a failure; it "
                    + "doubles on each failure in a row up to router.retry-backoff-max.");
    public static final Setting<Duration> ROUTER_RETRY_BACKOFF_MAX = Setting.of(
            "router.retry-backoff-max",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between a router's attempts: the pause doubles from router.retry-backoff on each failure in a row "
                    + "up to this, and a failure that needs action (authorization, configuration) is retried this often.");
    public static final Setting<Integer> ROUTER_MAX_BATCHES_IN_FLIGHT = Setting.of(
            "router.max-batches-in-flight",
            "integer",
            8,
            integer(1, 1000),
            "Batches of deliveries a router may have written but not yet acknowledged by Kafka before it "
                    + "waits; bounds how far it reads ahead of what Kafka holds.");
    public static final Setting<String> ROUTER_GROUP_ID = Setting.of(
            "router.group-id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,200}", "letters, digits, '.', '_' or '-'"),
            "Kafka consumer group the routers share to split the change partitions. Defaults to <kafka.topic-prefix>-router; "
                    + "every router of a deployment must use the same.");
    public static final Setting<Duration> ROUTER_EDGE_TTL = Setting.of(
            "router.edge-ttl",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofSeconds(15), Duration.ofHours(1)),
            "Routers drop the live queries of an edge not heard from within the TTL that edge announces (edge.heartbeat-ttl); "
                    + "this is the TTL of an edge whose heartbeat names none, or that sent none yet. Edges say goodbye when "
                    + "they stop cleanly.");

    public static final Setting<Duration> INGEST_POLL_INTERVAL = Setting.of(
            "ingest.poll-interval",
            "duration",
            Duration.ofMillis(5),
            duration(Duration.ofMillis(1), Duration.ofSeconds(10)),
            "How long Debezium pauses when the database has sent nothing; MySQL, MariaDB and MongoDB changes also wait up to this "
                    + "long for a batch to fill (PostgreSQL changes are handed over at once). Shorter reads changes sooner on a "
                    + "quiet database and costs CPU while idle.");
    public static final Setting<Integer> INGEST_MAX_BATCH = Setting.of(
            "ingest.max-batch-size", "integer", 2048, integer(1, 100_000), "Most changes ingest publishes per batch.");
    public static final Setting<Duration> INGEST_OFFSET_FLUSH = Setting.of(
            "ingest.offset-flush-interval",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "How often acknowledged source positions are committed; a crash replays at most this much.");
    public static final Setting<Duration> INGEST_RETRY_BACKOFF = Setting.of(
            "ingest.retry-backoff",
            "duration",
            Duration.ofMillis(500),
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "Pause before ingest restarts a source after a failure; it doubles on each failure in a row up to ingest.retry-backoff-max.");
    public static final Setting<Duration> INGEST_RETRY_BACKOFF_MAX = Setting.of(
            "ingest.retry-backoff-max",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between restarts of a failing source; a source that needs action (permissions, configuration) is "
                    + "retried this often.");
    public static final Setting<Duration> INGEST_PUBLISH_TIMEOUT = Setting.of(
            "ingest.publish-timeout",
            "duration",
            Duration.ofSeconds(60),
            duration(Duration.ofSeconds(5), Duration.ofMinutes(30)),
            "Longest ingest waits for Kafka to acknowledge its oldest batch in flight; then the source fails and restarts "
                    + "from its last committed position (nothing is lost, changes since are read again).");
    public static final Setting<Compression> INGEST_COMPRESSION = Setting.of(
            "ingest.compression",
            "none / gzip / snappy / lz4 / zstd",
            Compression.NONE,
            oneOf(Compression.class),
            "How ingest compresses change events in Kafka. none suits a broker on the same machine or a fast network: Kafka's "
                    + "compressors allocate their buffers for every batch, and a steady stream sends small ones. lz4 or zstd save "
                    + "network and disk when large batches cross a slow link.");

    /** Every declared setting, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            ROLE,
            LOG_FORMAT,
            EMBEDDED,
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
            SOURCE_POOL,
            RULES_DIR,
            RULES_HOT_RELOAD,
            RULES_LOOKUPS_MAX_ROWS,
            RULES_LOOKUPS_MAX_BYTES,
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
            JWT_REQUIRE_EXP,
            EDGE_ID,
            EDGE_IDLE_TIMEOUT,
            EDGE_MAX_PENDING,
            EDGE_MAX_SUBSCRIPTIONS,
            EDGE_MAX_SNAPSHOT_ROWS,
            EDGE_FRAMES_PER_SECOND,
            EDGE_MAX_BUFFERED_DELTAS,
            EDGE_HEARTBEAT_TTL,
            EDGE_WORKER_THREADS,
            EDGE_WORKER_QUEUE,
            EDGE_REGISTRATION_TIMEOUT,
            EDGE_SCHEMA_CACHE_TTL,
            EDGE_DELIVERY_RETRY_BACKOFF,
            EDGE_DELIVERY_RETRY_BACKOFF_MAX,
            EDGE_WINDOW_READ_DELAY,
            EDGE_RESUME_SECRET,
            EDGE_SSE_TOKEN_PARAMETER,
            CHANNEL_ACTIONS_PER_SECOND,
            CHANNEL_MAX_MESSAGE_BYTES,
            CHANNEL_MAX_JOINED,
            ROUTER_ID,
            ROUTER_SESSION_TIMEOUT,
            ROUTER_HEARTBEAT_INTERVAL,
            ROUTER_POLL_TIMEOUT,
            ROUTER_RETRY_BACKOFF,
            ROUTER_RETRY_BACKOFF_MAX,
            ROUTER_MAX_BATCHES_IN_FLIGHT,
            ROUTER_GROUP_ID,
            ROUTER_EDGE_TTL,
            INGEST_POLL_INTERVAL,
            INGEST_MAX_BATCH,
            INGEST_OFFSET_FLUSH,
            INGEST_RETRY_BACKOFF,
            INGEST_RETRY_BACKOFF_MAX,
            INGEST_PUBLISH_TIMEOUT,
            INGEST_COMPRESSION);

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
