package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.CloseCode;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's outgoing frames. Undertow queues sends without limit, so the outbox counts the
 * bytes not yet written to the socket and disconnects a client that lets them pile up past the
 * bound: a slow or dead client can never make the edge grow without bound. Frames keep the order
 * of {@link #send} calls. Thread-safe.
 */
final class Outbox implements FrameSink {

    /** Client IO trouble is noisy and attacker-controlled; it gets its own log category. */
    private static final Logger IO_LOG = LoggerFactory.getLogger("io.undercurrent.edge.client-io");

    private final WebSocketChannel channel;
    private final long maxPendingBytes;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closed;

    Outbox(WebSocketChannel channel, long maxPendingBytes) {
        this.channel = channel;
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Queues a frame; returns false (and disconnects) when the client is too far behind. */
    @Override
    public boolean send(String frame) {
        if (closed) {
            return false;
        }
        long size = frame.getBytes(StandardCharsets.UTF_8).length;
        if (pending.addAndGet(size) > maxPendingBytes) {
            close(CloseCode.SLOW_CONSUMER, "slow consumer: more than " + maxPendingBytes + " bytes unread; reconnect");
            return false;
        }
        synchronized (this) {
            WebSockets.sendText(frame, channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    pending.addAndGet(-size);
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable error) {
                    pending.addAndGet(-size);
                    IO_LOG.debug("send to {} failed: {}", ch.getSourceAddress(), error.toString());
                }
            });
        }
        return true;
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
        String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
        WebSockets.sendClose(code.code(), shortReason, channel, null);
    }

    boolean isClosed() {
        return closed || !channel.isOpen();
    }
}
