package io.undercurrent.edge.internal;

import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.protocol.CloseCode;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undertow.websockets.core.WebSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's outgoing frames. Undertow queues sends without limit, so the outbox counts the
 * bytes not yet written to the socket and disconnects a client that lets them pile up past the
 * bound: a slow or dead client can never make the edge grow without bound. Frames keep the order
 * of {@link #send} calls. Nothing leaves once the connection's token has expired: from its
 * {@link TokenDeadline} on, {@link #send} refuses every frame and the connection is closed 4401
 * after one {@code token_expired} error. Thread-safe.
 */
final class Outbox implements FrameSink {

    /** Client IO trouble is noisy and attacker-controlled; it gets its own log category. */
    private static final Logger IO_LOG = LoggerFactory.getLogger("io.undercurrent.edge.client-io");

    private static final String EXPIRED = new ServerFrames()
            .error(
                    null,
                    ErrorCode.TOKEN_EXPIRED,
                    "the token expired; reconnect with a fresh one (refresh it with an auth frame before it expires)");

    private final Transport channel;
    private final long maxPendingBytes;
    private final TokenDeadline deadline;
    private final Clock clock;
    private final EdgeObserver observer;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closed;

    /** @param clock the edge's clock, which token deadlines are read from */
    Outbox(WebSocketChannel channel, long maxPendingBytes, Clock clock) {
        this(new WebSocketTransport(channel), maxPendingBytes, clock, EdgeObserver.NONE);
    }

    /** @param observer hears when each frame of changes reached the socket, for commit-to-client latency */
    Outbox(WebSocketChannel channel, long maxPendingBytes, Clock clock, EdgeObserver observer) {
        this(new WebSocketTransport(channel), maxPendingBytes, clock, observer);
    }

    /** @param transport the connection: a WebSocket or a stream of Server-Sent Events */
    Outbox(Transport transport, long maxPendingBytes, Clock clock) {
        this(transport, maxPendingBytes, clock, EdgeObserver.NONE);
    }

    /**
     * @param transport the connection: a WebSocket or a stream of Server-Sent Events
     * @param observer  hears when each frame of changes reached the socket, for commit-to-client latency
     */
    Outbox(Transport transport, long maxPendingBytes, Clock clock, EdgeObserver observer) {
        this.channel = transport;
        this.maxPendingBytes = maxPendingBytes;
        this.deadline = new TokenDeadline(clock);
        this.clock = clock;
        this.observer = observer;
        transport.onClose(deadline::cancel);
    }

    /**
     * Queues a frame; returns false when the connection is closed, when its token has expired (the
     * connection is then closed 4401), or when the client is too far behind (closed 4429).
     */
    @Override
    public boolean send(String frame) {
        return send(frame, List.of());
    }

    @Override
    public boolean send(String frame, List<Commit> commits) {
        if (closed) {
            return false;
        }
        long size = frame.getBytes(StandardCharsets.UTF_8).length;
        // The deadline is checked under the same lock as the write, so no frame passes the check
        // before the deadline and is written after the token_expired error.
        synchronized (this) {
            if (expireIfDue() || closed) {
                return false;
            }
            if (pending.addAndGet(size) > maxPendingBytes) {
                close(
                        CloseCode.SLOW_CONSUMER,
                        "slow consumer: more than " + maxPendingBytes + " bytes unread; reconnect");
                return false;
            }
            write(frame, size, commits);
        }
        return true;
    }

    /** The connection's token deadline, moved by each successful {@code auth}. */
    TokenDeadline deadline() {
        return deadline;
    }

    /**
     * Once the token's deadline is reached: sends one {@code token_expired} error and closes 4401.
     *
     * @return true when the deadline has been reached (the connection is closed or closing)
     */
    synchronized boolean expireIfDue() {
        if (!deadline.reached()) {
            return false;
        }
        if (!closed) {
            long size = EXPIRED.length();
            pending.addAndGet(size);
            write(EXPIRED, size, List.of());
            close(CloseCode.UNAUTHENTICATED, "token expired");
        }
        return true;
    }

    private void write(String frame, long size, List<Commit> commits) {
        channel.send(frame, error -> {
            pending.addAndGet(-size);
            if (error != null) {
                IO_LOG.debug("send to {} failed: {}", channel.peer(), error.toString());
                return;
            }
            for (Commit commit : commits) {
                if (commit.committedAtMs() > 0) {
                    // Written to the socket, not read by the client: the moment the edge is done with it.
                    observer.changeWritten(commit.committedAtMs(), clock.millis());
                }
                if (commit.txId() != null) {
                    ChangeStage.reached(ChangeStage.SOCKET_WRITTEN, commit.txId(), commit.committedAtMs());
                }
            }
        });
    }

    long pendingBytes() {
        return pending.get();
    }

    /** Closes the connection with a code that tells the client whether to reconnect. */
    void close(CloseCode code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        deadline.cancel();
        String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
        channel.close(code, shortReason);
    }

    boolean isClosed() {
        return closed || !channel.isOpen();
    }
}
