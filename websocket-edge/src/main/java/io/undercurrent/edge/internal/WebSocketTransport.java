package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.CloseCode;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.function.Consumer;

/** An outbox's WebSocket: each frame a text message. */
final class WebSocketTransport implements Transport {

    private final WebSocketChannel channel;

    WebSocketTransport(WebSocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        WebSockets.sendText(frame, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                done.accept(null);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                done.accept(error);
            }
        });
    }

    @Override
    public void close(CloseCode code, String reason) {
        WebSockets.sendClose(code.code(), reason, channel, null);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void onClose(Runnable task) {
        channel.addCloseTask(ch -> task.run());
    }

    @Override
    public Object peer() {
        return channel.getSourceAddress();
    }
}
