package io.undercurrent.bus.channel;

/**
 * A node's sign of life on the presence topic (value of a {@link PresenceKey.Node}). Nodes forget the
 * presence of a node not heard from within {@code ttlMs}: its clients are gone with it.
 */
public record NodeHeartbeat(String node, long sentAt, long ttlMs) {

    public PresenceKey.Node key() {
        return new PresenceKey.Node(node);
    }
}
