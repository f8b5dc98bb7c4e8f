package io.undercurrent.edge;

import io.undercurrent.change.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one edge node. Built and validated by the server from its configuration. How tokens
 * are verified is {@link TokenSettings}, held by the {@link ClientTokens} the edge is given.
 *
 * @param edgeId              stable name of this edge; names its delivery topic, so keep it across restarts
 * @param bootstrapServers    the Kafka cluster
 * @param topics              topic naming
 * @param replicationFactor   replication factor of topics the edge creates
 * @param defaultSource       the source a subscription without {@code source} means
 * @param allowAnonymous      whether a client may subscribe without a token (rules then see {@code auth == null})
 * @param idleTimeout         a connection with no frame from the client for this long is closed (4408)
 * @param maxPendingBytes     most bytes queued for one slow client before it is disconnected (4429)
 * @param maxSubscriptions    most live queries per connection
 * @param maxSnapshotRows     most rows in one initial result; more is a {@code limit_exceeded} error
 * @param maxBufferedDeltas   most deltas held for one subscription while its snapshot is taken
 * @param framesPerSecond     sustained client frames per second allowed per connection
 * @param registrationTimeout how long to wait for routers to acknowledge a subscription
 * @param heartbeatTtl        how long routers keep this edge's subscriptions after its last heartbeat
 *                            (announced in each heartbeat; sent every third of it)
 * @param workerThreads       most threads reading schemas and initial results
 * @param workerQueue         reads waiting for a worker; beyond it a request is answered {@code overloaded}
 * @param kafkaOverrides      extra Kafka client settings
 * @param schemaCacheTtl      how long a table's schema read from its source is used before it is read again
 * @param deliveryRetryBackoff    first pause before the delivery thread reads its topic again after Kafka failed
 *                                it; doubles on each failure in a row
 * @param deliveryRetryBackoffMax longest such pause; a failure that needs action is retried at this pace
 * @param windowReadDelay     pause before a windowed query ({@code orderBy} + {@code limit}) is read again after a
 *                            change touched its window, so that a burst of changes shares one read
 * @param sseTokenParameter   whether {@code GET /v1/live/sse} accepts the token as a {@code token} query
 *                            parameter (a browser's EventSource cannot set headers; URLs reach logs)
 * @param resumeSecret        the secret every edge of the deployment signs and checks positions with
 *                            (resume); null when the deployment has none, and positions then detect
 *                            accidents (another deployment, a damaged copy) but not forgery
 * @param deliveryStallTimeout how long the delivery thread may go without finishing a round of its loop
 *                            (a poll waits at most half a second) before {@code /health} reports the edge
 *                            not up: the thread is hung, not slow
 */
public record EdgeSettings(
        String edgeId,
        String bootstrapServers,
        Topics topics,
        short replicationFactor,
        String defaultSource,
        boolean allowAnonymous,
        Duration idleTimeout,
        long maxPendingBytes,
        int maxSubscriptions,
        int maxSnapshotRows,
        int maxBufferedDeltas,
        int framesPerSecond,
        Duration registrationTimeout,
        Duration heartbeatTtl,
        int workerThreads,
        int workerQueue,
        Map<String, String> kafkaOverrides,
        Duration schemaCacheTtl,
        Duration deliveryRetryBackoff,
        Duration deliveryRetryBackoffMax,
        Duration windowReadDelay,
        String resumeSecret,
        boolean sseTokenParameter,
        Duration deliveryStallTimeout) {

    public static final Duration DEFAULT_SCHEMA_CACHE_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DELIVERY_RETRY_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_DELIVERY_RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WINDOW_READ_DELAY = Duration.ofMillis(20);
    public static final Duration DEFAULT_DELIVERY_STALL_TIMEOUT = Duration.ofSeconds(30);

    public EdgeSettings {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(defaultSource, "defaultSource");
        if (heartbeatTtl.toMillis() < 3_000) {
            throw new IllegalArgumentException(
                    "heartbeat TTL " + heartbeatTtl + " is below 3 s; heartbeats go out every third of it "
                            + "from a once-a-second sweep, so routers would drop a live edge");
        }
        if (workerThreads < 2 || workerQueue < 1) {
            throw new IllegalArgumentException("at least 2 worker threads and a queue of 1 are needed, not "
                    + workerThreads + " and " + workerQueue);
        }
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
        schemaCacheTtl = schemaCacheTtl == null ? DEFAULT_SCHEMA_CACHE_TTL : schemaCacheTtl;
        deliveryRetryBackoff = deliveryRetryBackoff == null ? DEFAULT_DELIVERY_RETRY_BACKOFF : deliveryRetryBackoff;
        deliveryRetryBackoffMax =
                deliveryRetryBackoffMax == null ? DEFAULT_DELIVERY_RETRY_BACKOFF_MAX : deliveryRetryBackoffMax;
        windowReadDelay = windowReadDelay == null ? DEFAULT_WINDOW_READ_DELAY : windowReadDelay;
        deliveryStallTimeout = deliveryStallTimeout == null ? DEFAULT_DELIVERY_STALL_TIMEOUT : deliveryStallTimeout;
        if (deliveryRetryBackoffMax.compareTo(deliveryRetryBackoff) < 0) {
            throw new IllegalArgumentException("edge.delivery-retry-backoff-max (" + deliveryRetryBackoffMax
                    + ") is below edge.delivery-retry-backoff (" + deliveryRetryBackoff
                    + "); raise the maximum or lower the first pause");
        }
    }

    /**
     * Settings with the default schema cache, delivery retry, window read and delivery stall timings,
     * and no resume secret.
     */
    public EdgeSettings(
            String edgeId,
            String bootstrapServers,
            Topics topics,
            short replicationFactor,
            String defaultSource,
            boolean allowAnonymous,
            Duration idleTimeout,
            long maxPendingBytes,
            int maxSubscriptions,
            int maxSnapshotRows,
            int maxBufferedDeltas,
            int framesPerSecond,
            Duration registrationTimeout,
            Duration heartbeatTtl,
            int workerThreads,
            int workerQueue,
            Map<String, String> kafkaOverrides) {
        this(
                edgeId,
                bootstrapServers,
                topics,
                replicationFactor,
                defaultSource,
                allowAnonymous,
                idleTimeout,
                maxPendingBytes,
                maxSubscriptions,
                maxSnapshotRows,
                maxBufferedDeltas,
                framesPerSecond,
                registrationTimeout,
                heartbeatTtl,
                workerThreads,
                workerQueue,
                kafkaOverrides,
                null,
                null,
                null,
                null,
                null,
                false,
                null);
    }

    /**
     * Settings with every declared default ({@link EdgeSettingDeclarations}), anonymous clients allowed,
     * replication factor 1 and no resume secret: a single-node edge, as tests and tools use.
     */
    public static EdgeSettings defaults(String edgeId, String bootstrapServers, Topics topics, String defaultSource) {
        return new EdgeSettings(
                edgeId,
                bootstrapServers,
                topics,
                (short) 1,
                defaultSource,
                true,
                EdgeSettingDeclarations.IDLE_TIMEOUT.defaultValue(),
                EdgeSettingDeclarations.MAX_PENDING.defaultValue(),
                EdgeSettingDeclarations.MAX_SUBSCRIPTIONS.defaultValue(),
                EdgeSettingDeclarations.MAX_SNAPSHOT_ROWS.defaultValue(),
                EdgeSettingDeclarations.MAX_BUFFERED_DELTAS.defaultValue(),
                EdgeSettingDeclarations.FRAMES_PER_SECOND.defaultValue(),
                EdgeSettingDeclarations.REGISTRATION_TIMEOUT.defaultValue(),
                EdgeSettingDeclarations.HEARTBEAT_TTL.defaultValue(),
                EdgeSettingDeclarations.WORKER_THREADS.defaultValue(),
                EdgeSettingDeclarations.WORKER_QUEUE.defaultValue(),
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                false,
                null);
    }
}
