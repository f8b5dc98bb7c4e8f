package io.undercurrent.client;

/** Where the client's connection stands. */
public enum ConnectionState {
    /** The first connection is being made. */
    CONNECTING,
    /** Connected (and authenticated when a token is used); live queries are subscribed. */
    READY,
    /** The connection was lost or could not be made; another attempt follows after a backoff. */
    RECONNECTING,
    /**
     * For good: {@link UndercurrentClient#close()} was called, the server closed with a code after which
     * reconnecting cannot help (4400, 1009), or a token was refused or expired and there is no token
     * supplier to get another.
     */
    CLOSED
}
