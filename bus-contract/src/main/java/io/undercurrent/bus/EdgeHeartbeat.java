package io.undercurrent.bus;

/**
 * An edge node's sign of life on the subscriptions topic (key {@code edge/<edgeId>}). Routers forget
 * the subscriptions of an edge not heard from within {@code ttlMs}: a crashed edge's clients
 * reconnect elsewhere and subscribe again.
 */
public record EdgeHeartbeat(String edgeId, long sentAt, long ttlMs) {

    public static final String KEY_PREFIX = "edge/";

    public String key() {
        return KEY_PREFIX + edgeId;
    }
}
