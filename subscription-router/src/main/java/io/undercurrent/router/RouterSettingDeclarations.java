package io.undercurrent.router;

import static io.undercurrent.settings.Parsers.bool;
import static io.undercurrent.settings.Parsers.duration;
import static io.undercurrent.settings.Parsers.integer;
import static io.undercurrent.settings.Parsers.matching;

import io.undercurrent.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the router role ({@code router.*}), declared once beside the code that uses them;
 * the server composes them into its configuration reference.
 */
public final class RouterSettingDeclarations {

    private RouterSettingDeclarations() {}

    public static final Setting<String> ID = Setting.of(
            "router.id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,100}", "letters, digits, '.', '_' or '-'"),
            "Name of this router in logs and acknowledgements. Defaults to router-<hostname>.");

    public static final Setting<Duration> SESSION_TIMEOUT = Setting.of(
            "router.session-timeout",
            "duration",
            Duration.ofSeconds(3),
            duration(Duration.ofSeconds(1), Duration.ofMinutes(30)),
            "How soon the other routers take over the change partitions of a router that died without a goodbye (kill -9, "
                    + "crash, network loss); deliveries on those partitions pause this long, plus a rebalance. Kafka's "
                    + "consumer-group session timeout. Brokers accept only values from their group.min.session.timeout.ms "
                    + "(6 s unless changed; the embedded broker allows 1 s): below it the router uses the broker's minimum "
                    + "and says so in its log.");

    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.of(
            "router.heartbeat-interval",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "How often a router tells Kafka it is alive; at most a third of router.session-timeout.");

    public static final Setting<Duration> POLL_TIMEOUT = Setting.of(
            "router.poll-timeout",
            "duration",
            Duration.ofMillis(20),
            duration(Duration.ofMillis(1), Duration.ofSeconds(5)),
            "Longest a router waits for changes in one turn of its loop; also bounds how late it takes up a new "
                    + "subscription while no changes arrive.");

    public static final Setting<Duration> RETRY_BACKOFF = Setting.of(
            "router.retry-backoff",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "First pause before a router retries after Kafka refused a write, or starts its loop again after a failure; it "
                    + "doubles on each failure in a row up to router.retry-backoff-max.");

    public static final Setting<Duration> RETRY_BACKOFF_MAX = Setting.of(
            "router.retry-backoff-max",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between a router's attempts: the pause doubles from router.retry-backoff on each failure in a row "
                    + "up to this, and a failure that needs action (authorization, configuration) is retried this often.");

    public static final Setting<Integer> MAX_BATCHES_IN_FLIGHT = Setting.of(
            "router.max-batches-in-flight",
            "integer",
            8,
            integer(1, 1000),
            "Batches of deliveries a router may have written but not yet acknowledged by Kafka before it "
                    + "waits; bounds how far it reads ahead of what Kafka holds.");

    public static final Setting<String> GROUP_ID = Setting.of(
            "router.group-id",
            "name",
            null,
            matching("[A-Za-z0-9._-]{1,200}", "letters, digits, '.', '_' or '-'"),
            "Kafka consumer group the routers share to split the change partitions. Defaults to <kafka.topic-prefix>-router; "
                    + "every router of a deployment must use the same.");

    public static final Setting<Duration> EDGE_TTL = Setting.of(
            "router.edge-ttl",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofSeconds(15), Duration.ofHours(1)),
            "Routers drop the live queries of an edge not heard from within the TTL that edge announces (edge.heartbeat-ttl); "
                    + "this is the TTL of an edge whose heartbeat names none, or that sent none yet. Edges say goodbye when "
                    + "they stop cleanly.");

    public static final Setting<Boolean> LOCAL_DELIVERY = Setting.of(
            "router.local-delivery",
            "boolean",
            true,
            bool(),
            "When one process runs both the router and the edge role (role all), the router hands the edge's "
                    + "deliveries to it directly instead of writing them to the edge's Kafka topic and the edge reading "
                    + "them back: the same guarantees, a Kafka round trip less per change. Deliveries for edges in other "
                    + "processes go through Kafka either way. false sends every delivery through Kafka.");

    public static final Setting<Boolean> LOCAL_CHANGES = Setting.of(
            "router.local-changes",
            "boolean",
            false,
            bool(),
            "When one process runs both ingest and the router (role all), ingest hands the router each change the "
                    + "moment Kafka acknowledged it, with its offset, and the router routes it without waiting for its "
                    + "consumer to fetch it back: the same guarantees (the change is in Kafka first, and the router takes "
                    + "only the next offset of each partition it owns), a fetch less per change. Changes written by "
                    + "ingest in other processes are read from Kafka either way. Off by default: each acknowledgement then "
                    + "costs the router a turn of its own besides the consumer's, which on a quiet two-core machine cost "
                    + "more than the fetch it saves (benchmarks/README.md).");

    /** Every setting above, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            ID,
            SESSION_TIMEOUT,
            HEARTBEAT_INTERVAL,
            POLL_TIMEOUT,
            RETRY_BACKOFF,
            RETRY_BACKOFF_MAX,
            MAX_BATCHES_IN_FLIGHT,
            GROUP_ID,
            EDGE_TTL,
            LOCAL_DELIVERY,
            LOCAL_CHANGES);
}
