package io.undercurrent.client;

import java.time.Duration;

/**
 * A change of the client's connection state.
 *
 * @param state       the new state
 * @param closeCode   the WebSocket close code that ended the last connection ({@code RECONNECTING},
 *                    {@code CLOSED}; 1006 when it failed without one), or null
 * @param closeReason what the server or the client said about it, or null
 * @param attempt     reconnect attempts since the last connection that became ready ({@code RECONNECTING})
 * @param retryIn     the wait before the next attempt ({@code RECONNECTING}), or null
 * @param error       why the client closed when a token was refused, or null
 */
public record ConnectionStatus(
        ConnectionState state,
        Integer closeCode,
        String closeReason,
        int attempt,
        Duration retryIn,
        ServerError error) {

    static ConnectionStatus of(ConnectionState state) {
        return new ConnectionStatus(state, null, null, 0, null, null);
    }
}
