package io.undercurrent.edge;

/**
 * What an edge node is doing.
 *
 * @param up            accepting clients and receiving deliveries
 * @param ready         its delivery consumer is positioned and running: a live query subscribed now is served
 * @param lastError     the last failure in words, or null
 * @param connections   open client connections
 * @param subscriptions live queries on this edge
 * @param waitingForCapture live queries whose initial result waits until their source is captured
 *                          (its replication slot exists); non-zero only on a source's first start
 * @param needsAction   deliveries stopped for a reason that will not pass by itself (Kafka credentials,
 *                      permissions, configuration; {@code lastError} says which): retried at the longest
 *                      backoff, so fixing the cause is enough
 * @param deliveryLag   deliveries written to this edge's delivery topic and not yet read, as of the
 *                      delivery consumer's last poll; -1 while unknown (not reading, or nothing fetched yet)
 * @param channelsError why reading the channel topics (presence, typing) fails, or null while it works:
 *                      live queries are unaffected, but presence and messages from other edges stop
 *                      arriving until it recovers (it retries every second)
 * @param channelsFailingSince when reading the channel topics began failing, or null while it works
 */
public record EdgeHealth(
        boolean up,
        boolean ready,
        String lastError,
        int connections,
        int subscriptions,
        int waitingForCapture,
        boolean needsAction,
        long deliveryLag,
        String channelsError,
        java.time.Instant channelsFailingSince) {}
