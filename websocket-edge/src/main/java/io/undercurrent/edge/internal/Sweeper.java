package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.CloseCode;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once a second: closes idle connections (and, as a backstop, connections whose token expired
 * unrefreshed), retries unacknowledged registrations, and keeps this edge's heartbeat alive for the routers.
 */
final class Sweeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    private final EdgeSettings settings;
    private final Map<String, ClientConnection> connections;
    private final LiveQueries liveQueries;
    private final EdgeBus bus;
    private final Clock clock;
    private final long heartbeatEveryMs;
    private final long edgeTtlMs;
    private long lastHeartbeat;

    Sweeper(
            EdgeSettings settings,
            Map<String, ClientConnection> connections,
            LiveQueries liveQueries,
            EdgeBus bus,
            Clock clock,
            long edgeTtlMs) {
        this.settings = settings;
        this.connections = connections;
        this.liveQueries = liveQueries;
        this.bus = bus;
        this.clock = clock;
        this.edgeTtlMs = edgeTtlMs;
        this.heartbeatEveryMs = edgeTtlMs / 3;
    }

    @Override
    public void run() {
        try {
            long now = clock.millis();
            for (ClientConnection connection : connections.values()) {
                if (connection.idles()
                        && now - connection.lastActivity()
                                > settings.idleTimeout().toMillis()) {
                    connection
                            .outbox()
                            .close(
                                    CloseCode.IDLE,
                                    "idle for " + settings.idleTimeout().toSeconds() + " s; ping more often");
                    continue;
                }
                // TokenExpiry closes expired connections on time; this is a backstop should its timer run late.
                connection.outbox().expireIfDue();
            }
            liveQueries.checkRegistrations(connections);
            if (now - lastHeartbeat >= heartbeatEveryMs) {
                bus.heartbeat(now, edgeTtlMs);
                lastHeartbeat = now;
            }
        } catch (RuntimeException e) {
            LOG.error("edge housekeeping failed", e);
        }
    }
}
