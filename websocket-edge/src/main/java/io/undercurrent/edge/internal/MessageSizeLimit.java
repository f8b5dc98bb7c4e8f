package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.CloseCode;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;

/**
 * Holds one connection's incoming messages to a size, judged from the frame headers before their
 * payload is read: a message whose frames announce more than the limit, in one frame or in fragments
 * that add up, closes the connection with 1009 at once, whether the client signed in or not.
 *
 * <p>Undertow's own bound ({@code AbstractReceiveListener.getMaxTextBufferSize}) counts bytes as they
 * are buffered, and in Undertow 2.3 not at all once a message spans more than one read, so a client
 * could make the edge buffer (and decode) hundreds of megabytes. Instead each message stream gets a
 * maximum size: Undertow closes the stream as soon as a frame header takes the announced total past
 * it, the first frame's header right here and a continuation's when it arrives, and no byte beyond
 * the limit is buffered. Used on the connection's IO thread only.
 */
final class MessageSizeLimit {

    private final long maxBytes;
    private boolean refused;

    MessageSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Whether {@code message} may be read. When its first frame already announces too much, the
     * connection is being closed and the message must be left alone.
     */
    boolean admit(WebSocketChannel connection, StreamSourceFrameChannel message) {
        message.setMaxStreamSize(maxBytes);
        if (!message.isOpen()) {
            refuse(connection);
            return false;
        }
        if (!message.isFinalFragment()) {
            // A message ends only after its final fragment was read, so a stream that closes before
            // that was closed by the size bound (or by the connection going away, which refuse ignores).
            message.addCloseTask(closed -> {
                if (!closed.isFinalFragment()) {
                    refuse(connection);
                }
            });
        }
        return true;
    }

    /** True once this connection was refused: its reader's errors are expected and must not cut the close short. */
    boolean refused() {
        return refused;
    }

    private void refuse(WebSocketChannel connection) {
        if (refused || !connection.isOpen() || connection.isCloseFrameSent() || connection.isCloseFrameReceived()) {
            return;
        }
        refused = true;
        // Drop the connection once the close frame is out: waiting for the client's answer would
        // keep reading whatever it still sends.
        WebSockets.sendClose(
                CloseCode.MESSAGE_TOO_BIG.code(),
                "message larger than " + maxBytes + " bytes; send smaller frames",
                connection,
                new WebSocketCallback<Void>() {
                    @Override
                    public void complete(WebSocketChannel channel, Void context) {
                        IoUtils.safeClose(channel);
                    }

                    @Override
                    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                        IoUtils.safeClose(channel);
                    }
                });
    }
}
