package io.undercurrent.edge.internal;

import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import java.util.concurrent.CompletableFuture;

/** Where a node tells the other nodes about its channels: Kafka ({@link ChannelBus}), or a list in a test. */
interface ChannelPublisher {

    /** Announces that a client of this node is present in a channel; completes when Kafka has it. */
    CompletableFuture<Void> join(PresenceRecord record);

    /** Withdraws a presence: the member's tombstone. */
    CompletableFuture<Void> leave(PresenceKey.Member key);

    /** Sends an ephemeral message to every node. */
    CompletableFuture<Void> publish(ChannelMessage message);
}
