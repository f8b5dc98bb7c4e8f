package io.undercurrent.server.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * Keeps the open connections at or below a cap. A connection beyond it is closed as soon as it is
 * accepted, not left queued in the kernel's backlog (which XNIO's connection high water would do),
 * so the client learns at once and a flood of connections holds at most the cap's file descriptors:
 * the rest of the process (Kafka, the rules folder, database connections) keeps its own. Thread-safe.
 */
final class ConnectionCap implements ChannelListener<StreamConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final ChannelListener<? super StreamConnection> next;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** @param next the protocol's open listener, given every connection within the cap */
    ConnectionCap(ChannelListener<? super StreamConnection> next, int max) {
        this.next = next;
        this.max = max;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.incrementAndGet();
            IoUtils.safeClose(connection);
            warnNowAndThen();
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        next.handleEvent(connection);
        // Undertow installs its close listener while opening the connection; ours runs before it.
        ChannelListener<? super StreamConnection> protocol = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            release.run();
            if (protocol != null) {
                ChannelListeners.invokeChannelListener(closed, protocol);
            }
        });
        if (!connection.isOpen()) {
            release.run(); // closed while opening, before our listener was in place
        }
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Connections closed on accept because the cap was reached, since start. */
    long refused() {
        return refused.get();
    }

    private void warnNowAndThen() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn(
                    "{} connections are open, the most http.max-connections allows; closing new ones at once ({} so far)",
                    max,
                    refused.get());
        }
    }
}
