package io.undercurrent.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What the HTTP listener allows each client, so that no client can exhaust the process: connections
 * beyond {@code maxConnections} are closed as soon as they are accepted, and a connection that does
 * not finish its request head within {@code requestTimeout} is closed.
 *
 * @param maxConnections most open connections, plain HTTP and WebSocket together; at least 1
 * @param requestTimeout how long a client may take to send a complete request head, counted from
 *                       connecting or from the end of its previous request
 */
public record HttpLimits(int maxConnections, Duration requestTimeout) {

    public HttpLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
