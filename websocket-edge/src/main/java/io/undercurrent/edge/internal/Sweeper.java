package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.CloseCode;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once a second on the housekeeping thread: closes idle connections (and, as a backstop,
 * connections whose token expired unrefreshed) and retries unacknowledged registrations. The
 * heartbeat is not sent from here ({@link Heartbeat} has a thread of its own): this work waits for
 * subscriptions' locks and for Kafka.
 */
final class Sweeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    private final EdgeSettings settings;
    private final Map<String, ClientConnection> connections;
    private final LiveQueries liveQueries;
    private final Clock clock;

    Sweeper(EdgeSettings settings, Map<String, ClientConnection> connections, LiveQueries liveQueries, Clock clock) {
        this.settings = settings;
        this.connections = connections;
        this.liveQueries = liveQueries;
        this.clock = clock;
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
        } catch (Throwable e) {
            // Whatever it was, the next sweep must run: a periodic task that throws is never run again.
            LOG.error("edge housekeeping failed; sweeping again in a second", e);
        }
    }
}
