package io.undercurrent.edge;

import io.undercurrent.change.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one edge node. Built and validated by the server from its configuration.
 *
 * @param edgeId              stable name of this edge; names its delivery topic, so keep it across restarts
 * @param bootstrapServers    the Kafka cluster
 * @param topics              topic naming
 * @param replicationFactor   replication factor of topics the edge creates
 * @param defaultSource       the source a subscription without {@code source} means
 * @param jwtSecret           HS256 secret (at least 32 bytes)
 * @param allowAnonymous      whether a client may subscribe without a token (rules then see {@code auth == null})
 * @param requireExp          whether a token must carry {@code exp}; false lets a token without it live as long as its connection
 * @param idleTimeout         a connection with no frame from the client for this long is closed (4408)
 * @param maxPendingBytes     most bytes queued for one slow client before it is disconnected (4429)
 * @param maxSubscriptions    most live queries per connection
 * @param maxSnapshotRows     most rows in one initial result; more is a {@code limit_exceeded} error
 * @param maxBufferedDeltas   most deltas held for one subscription while its snapshot is taken
 * @param framesPerSecond     sustained client frames per second allowed per connection
 * @param registrationTimeout how long to wait for routers to acknowledge a subscription
 * @param kafkaOverrides      extra Kafka client settings
 */
public record EdgeSettings(
        String edgeId,
        String bootstrapServers,
        Topics topics,
        short replicationFactor,
        String defaultSource,
        byte[] jwtSecret,
        boolean allowAnonymous,
        boolean requireExp,
        Duration idleTimeout,
        long maxPendingBytes,
        int maxSubscriptions,
        int maxSnapshotRows,
        int maxBufferedDeltas,
        int framesPerSecond,
        Duration registrationTimeout,
        Map<String, String> kafkaOverrides) {

    public EdgeSettings {
        Objects.requireNonNull(edgeId, "edgeId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(defaultSource, "defaultSource");
        Objects.requireNonNull(jwtSecret, "jwtSecret");
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
    }

    public static EdgeSettings defaults(String edgeId, String bootstrapServers, Topics topics, String defaultSource, byte[] jwtSecret) {
        return new EdgeSettings(edgeId, bootstrapServers, topics, (short) 1, defaultSource, jwtSecret, true, true, Duration.ofSeconds(120),
                8L * 1024 * 1024, 100, 10_000, 10_000, 50, Duration.ofSeconds(15), Map.of());
    }
}
