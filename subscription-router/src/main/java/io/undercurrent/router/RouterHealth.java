package io.undercurrent.router;

/**
 * What a router is doing.
 *
 * @param running        the routing loop is up
 * @param ready          the routing loop is up and routes its share of the change partitions: the group
 *                       assigned them (possibly none, when there are more routers than partitions) and
 *                       every subscription was read before routing them. False while the router joins
 *                       the group, and after it lost its partitions until it is given them again.
 * @param partitions     change partitions this router routes now
 * @param lastError      the last failure in words, or null
 * @param subscriptions  subscriptions in the index
 * @param changesRouted  changes read and matched since start
 * @param deliveries     delivery records written to edges since start
 * @param needsAction    the last failure will not pass by itself (Kafka credentials, permissions or
 *                       configuration): the router retries it at its longest backoff, so fixing the cause is enough
 * @param malformedChanges changes read that were not change events, skipped (their offsets committed)
 * @param changeLag      changes on this router's partitions not yet read, summed, as of its last poll
 *                       (the change consumer's own figures, no call to the cluster); -1 while unknown
 *                       (not running, or nothing fetched yet for a partition it owns)
 * @param localDeliveries of {@code deliveries}, those handed straight to the edge in this process
 *                       instead of through Kafka (see {@code io.undercurrent.bus.kafka.LocalDeliveries})
 * @param localChanges   changes (and ingest's watermarks) taken straight from ingest in this process,
 *                       at the offsets Kafka acknowledged to it, instead of from the router's consumer
 *                       (see {@code io.undercurrent.bus.kafka.LocalChanges})
 */
public record RouterHealth(
        boolean running,
        boolean ready,
        int partitions,
        String lastError,
        int subscriptions,
        long changesRouted,
        long deliveries,
        boolean needsAction,
        long malformedChanges,
        long changeLag,
        long localDeliveries,
        long localChanges) {}
