package io.undercurrent.edge.protocol;

/**
 * WebSocket close codes the edge uses, and whether a client should reconnect after each.
 */
public enum CloseCode {
    /** The client broke the protocol (e.g. an oversized frame). Fix the client; do not retry as is. */
    PROTOCOL_VIOLATION(4400, false),
    /** Unauthenticated, or the token expired and was not refreshed. Reconnect with a fresh token. */
    UNAUTHENTICATED(4401, true),
    /** No frame from the client within the idle timeout. Reconnect; ping more often. */
    IDLE(4408, true),
    /** The client read too slowly (its send buffer overflowed) or sent too fast. Reconnect with backoff. */
    SLOW_CONSUMER(4429, true),
    /** The edge is shutting down. Reconnect (to any edge) at once. */
    GOING_AWAY(1001, true),
    /** A message (all its frames together) was larger than the edge accepts. Send smaller frames; do not retry as is. */
    MESSAGE_TOO_BIG(1009, false);

    private final int code;
    private final boolean reconnect;

    CloseCode(int code, boolean reconnect) {
        this.code = code;
        this.reconnect = reconnect;
    }

    public int code() {
        return code;
    }

    public boolean shouldReconnect() {
        return reconnect;
    }
}
