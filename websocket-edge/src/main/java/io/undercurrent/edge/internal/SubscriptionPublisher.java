package io.undercurrent.edge.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import java.util.concurrent.CompletableFuture;

/**
 * Where an edge tells the routers which subscriptions it holds: {@link EdgeBus} (the compacted
 * subscriptions topic), or a list in a test. Writes of one key are applied in the order they were
 * made. Thread-safe.
 */
interface SubscriptionPublisher {

    /** Publishes (or replaces) a subscription; completes once Kafka has it. */
    CompletableFuture<Void> publish(SubscriptionRecord record);

    /** Ends a subscription (a tombstone under its key); completes once Kafka has it. */
    CompletableFuture<Void> unpublish(SubscriptionId id);
}
