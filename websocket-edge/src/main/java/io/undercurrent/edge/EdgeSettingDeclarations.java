package io.undercurrent.edge;

import static io.undercurrent.settings.Parsers.bool;
import static io.undercurrent.settings.Parsers.bytes;
import static io.undercurrent.settings.Parsers.duration;
import static io.undercurrent.settings.Parsers.integer;
import static io.undercurrent.settings.Parsers.matching;

import io.undercurrent.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the edge role ({@code edge.*}) and of its channels ({@code channel.*}), declared once
 * beside the code that uses them; the server composes them into its configuration reference.
 */
public final class EdgeSettingDeclarations {

    private EdgeSettingDeclarations() {}

    public static final Setting<String> ID = Setting.of(
            "edge.id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,100}", "letters, digits, '.', '_' or '-'"),
            "Stable name of this edge; names its delivery topic. Defaults to edge-<hostname>.");

    public static final Setting<Duration> IDLE_TIMEOUT = Setting.of(
            "edge.idle-timeout",
            "duration",
            Duration.ofSeconds(120),
            duration(Duration.ofSeconds(5), Duration.ofHours(24)),
            "Close connections silent this long (4408).");

    public static final Setting<Long> MAX_PENDING = Setting.of(
            "edge.max-pending-bytes",
            "size",
            8L * 1024 * 1024,
            bytes(64 * 1024, 1024L * 1024 * 1024),
            "Unsent bytes one client may have queued before it is disconnected (4429).");

    public static final Setting<Integer> MAX_SUBSCRIPTIONS =
            Setting.of("edge.max-subscriptions", "integer", 100, integer(1, 100_000), "Live queries per connection.");

    public static final Setting<Integer> MAX_SNAPSHOT_ROWS = Setting.of(
            "edge.max-snapshot-rows",
            "integer",
            10_000,
            integer(1, 10_000_000),
            "Rows in one initial result; more is a limit_exceeded error.");

    public static final Setting<Integer> FRAMES_PER_SECOND = Setting.of(
            "edge.frames-per-second",
            "integer",
            50,
            integer(1, 100_000),
            "Client frames per second allowed per connection (bursts of twice that).");

    public static final Setting<Integer> MAX_BUFFERED_DELTAS = Setting.of(
            "edge.max-buffered-deltas",
            "integer",
            10_000,
            integer(100, 10_000_000),
            "Deltas held for one live query while its initial result is read; more and the query "
                    + "starts over with a fresh read.");

    public static final Setting<Duration> HEARTBEAT_TTL = Setting.of(
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

    public static final Setting<Integer> CHANNEL_MAX_PRESENT = Setting.of(
            "channel.max-present",
            "integer",
            1000,
            integer(1, 100_000),
            "Most clients present in one channel, counted as the edge knows them (its own and other edges'); a join "
                    + "beyond is limit_exceeded. Bounds the joined frame, which lists everyone present.");

    public static final Setting<Integer> WORKER_THREADS = Setting.of(
            "edge.worker-threads",
            "integer",
            16,
            integer(2, 1000),
            "Most threads an edge reads table schemas and initial results with (two stay idle); each read holds one "
                    + "database connection, so sources.<name>.snapshot-pool-size bounds the reads of one source at a time.");

    public static final Setting<Integer> WORKER_QUEUE = Setting.of(
            "edge.worker-queue",
            "integer",
            1024,
            integer(1, 1_000_000),
            "Reads waiting for a worker thread; a subscribe or initial result beyond it is answered 'overloaded' (retry "
                    + "with backoff), never read on a network thread.");

    public static final Setting<Duration> SCHEMA_CACHE_TTL = Setting.of(
            "edge.schema-cache-ttl",
            "duration",
            EdgeSettings.DEFAULT_SCHEMA_CACHE_TTL,
            duration(Duration.ofSeconds(1), Duration.ofHours(24)),
            "How long an edge uses a table's schema (columns, types, primary key) read from its source before reading it "
                    + "again. Shorter notices an altered table sooner, at one catalog read per table and period.");

    public static final Setting<Duration> DELIVERY_RETRY_BACKOFF = Setting.of(
            "edge.delivery-retry-backoff",
            "duration",
            EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF,
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "Pause before an edge reads its delivery topic again after Kafka failed it; it doubles on each failure in a "
                    + "row up to edge.delivery-retry-backoff-max. Meanwhile /health shows the edge not up.");

    public static final Setting<Duration> DELIVERY_RETRY_BACKOFF_MAX = Setting.of(
            "edge.delivery-retry-backoff-max",
            "duration",
            EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF_MAX,
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between an edge's attempts to read its delivery topic; a failure that needs action (Kafka "
                    + "credentials, ACLs) is retried at this pace, so fixing its cause is enough. At least "
                    + "edge.delivery-retry-backoff.");

    public static final Setting<Duration> DELIVERY_STALL_TIMEOUT = Setting.of(
            "edge.delivery-stall-timeout",
            "duration",
            EdgeSettings.DEFAULT_DELIVERY_STALL_TIMEOUT,
            duration(Duration.ofSeconds(5), Duration.ofHours(1)),
            "How long an edge's delivery thread may go without finishing a round of its loop (each poll waits at most "
                    + "half a second) before /health reports the edge not up, saying where the thread is stuck: hung, "
                    + "not slow (a lock never released, a write that never returns). Restart such an edge; its clients "
                    + "resume on another.");

    public static final Setting<Duration> WINDOW_READ_DELAY = Setting.of(
            "edge.window-read-delay",
            "duration",
            EdgeSettings.DEFAULT_WINDOW_READ_DELAY,
            duration(Duration.ZERO, Duration.ofSeconds(10)),
            "Pause before a windowed live query (orderBy with limit) reads its window again after a change touched it, "
                    + "so a burst of changes shares one database read. Longer saves reads, at that much latency.");

    public static final Setting<Duration> REGISTRATION_TIMEOUT = Setting.of(
            "edge.registration-timeout",
            "duration",
            Duration.ofSeconds(10),
            duration(Duration.ofSeconds(3), Duration.ofMinutes(10)),
            "Longest a subscribe waits for the routers to acknowledge it (it is registered again after a third and two thirds "
                    + "of this); then the client gets an internal error saying no router acknowledged it, and retries. Keep it "
                    + "above router.session-timeout, so a subscribe made while a router dies is served by the router taking over.");

    public static final Setting<String> RESUME_SECRET = Setting.secret(
            "edge.resume-secret",
            "secret",
            null,
            matching("(?s).{16,}", "at least 16 characters"),
            "Secret every edge of the deployment signs the positions of snapshot and changes frames with, and checks a "
                    + "resuming client's position against (HMAC-SHA256; a position altered or issued by another deployment "
                    + "gets reset and a fresh snapshot). Set the same value on every edge. Defaults to jwt.secret; with "
                    + "neither, positions are bound to kafka.topic-prefix only: they still tell another deployment's "
                    + "positions apart, but not a forged one (which can only ask for changes the subscriber may read anyway).");

    public static final Setting<Boolean> SSE_TOKEN_PARAMETER = Setting.of(
            "edge.sse-token-parameter",
            "boolean",
            false,
            bool(),
            "Accept the token as a token query parameter on GET /v1/live/sse, for browsers' EventSource, which cannot "
                    + "send an Authorization header. Off by default: a URL is written to access logs and proxies.");

    /** Every setting above, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            ID,
            IDLE_TIMEOUT,
            MAX_PENDING,
            MAX_SUBSCRIPTIONS,
            MAX_SNAPSHOT_ROWS,
            FRAMES_PER_SECOND,
            MAX_BUFFERED_DELTAS,
            HEARTBEAT_TTL,
            WORKER_THREADS,
            WORKER_QUEUE,
            REGISTRATION_TIMEOUT,
            SCHEMA_CACHE_TTL,
            DELIVERY_RETRY_BACKOFF,
            DELIVERY_RETRY_BACKOFF_MAX,
            DELIVERY_STALL_TIMEOUT,
            WINDOW_READ_DELAY,
            RESUME_SECRET,
            SSE_TOKEN_PARAMETER,
            CHANNEL_ACTIONS_PER_SECOND,
            CHANNEL_MAX_MESSAGE_BYTES,
            CHANNEL_MAX_JOINED,
            CHANNEL_MAX_PRESENT);
}
