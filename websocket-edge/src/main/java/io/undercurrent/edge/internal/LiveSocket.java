package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.CloseCode;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts WebSocket connections on {@code /v1/live}: creates each connection's state, takes a token
 * from an {@code Authorization: Bearer} upgrade header if there is one, and feeds text frames to the
 * {@link FrameHandler}. A message larger than {@link #MAX_MESSAGE_BYTES} closes the connection (1009)
 * before it is buffered ({@link MessageSizeLimit}).
 *
 * <p>When a connection closes, its live queries are ended on {@code closeWork}, never on the IO
 * thread that runs the close: Undertow runs close tasks there while it may hold the channel's
 * monitor (a write that found the socket broken closes the channel from inside its flush), and
 * ending a live query takes the subscription's locks. The delivery thread and the workers hold a
 * subscription's lock while they write to its connection, which takes that same channel monitor:
 * ending it on the IO thread could deadlock the two, and with them every connection of that IO
 * thread, deliveries, and housekeeping.
 */
final class LiveSocket implements WebSocketConnectionCallback {

    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final Logger IO_LOG = LoggerFactory.getLogger("io.undercurrent.edge.client-io");

    private final EdgeSettings settings;
    private final Map<String, ClientConnection> connections;
    private final FrameHandler handler;
    private final LiveQueries liveQueries;
    private final Executor closeWork;
    private final ServerFrames frames;
    private final Clock clock;
    private final EdgeObserver observer;

    LiveSocket(
            EdgeSettings settings,
            Map<String, ClientConnection> connections,
            FrameHandler handler,
            LiveQueries liveQueries,
            Executor closeWork,
            ServerFrames frames,
            Clock clock,
            EdgeObserver observer) {
        this.settings = settings;
        this.connections = connections;
        this.handler = handler;
        this.liveQueries = liveQueries;
        this.closeWork = closeWork;
        this.frames = frames;
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        ClientConnection connection = new ClientConnection(
                id,
                new Outbox(channel, settings.maxPendingBytes(), clock, observer),
                new RateLimiter(settings.framesPerSecond(), now),
                now);
        connections.put(id, connection);
        channel.addCloseTask(ch -> {
            connections.remove(id);
            closeWork.execute(() -> {
                handler.closed(connection);
                liveQueries.closeAll(connection);
            });
        });
        String header = exchange.getRequestHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                handler.authenticate(
                        connection,
                        new ClientFrame.Auth(null, header.substring(7).trim()));
            } catch (ProtocolException e) {
                connection.outbox().send(frames.error(null, e.code(), e.getMessage()));
                connection.outbox().close(CloseCode.UNAUTHENTICATED, e.getMessage());
                return;
            }
        }
        MessageSizeLimit sizeLimit = new MessageSizeLimit(MAX_MESSAGE_BYTES);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onText(WebSocketChannel ch, StreamSourceFrameChannel message) throws IOException {
                if (sizeLimit.admit(ch, message)) {
                    super.onText(ch, message);
                }
            }

            @Override
            protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel message) throws IOException {
                if (sizeLimit.admit(ch, message)) {
                    super.onBinary(ch, message);
                }
            }

            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                handler.handle(connection, message.getData());
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                message.getData().free();
                connection
                        .outbox()
                        .send(frames.error(
                                null,
                                ErrorCode.BAD_REQUEST,
                                "binary frames are not part of the protocol; send JSON text frames"));
            }

            @Override
            protected long getMaxTextBufferSize() {
                return MAX_MESSAGE_BYTES;
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return MAX_MESSAGE_BYTES;
            }

            @Override
            protected void onError(WebSocketChannel ch, Throwable error) {
                IO_LOG.debug("connection {} from {}: {}", id, ch.getSourceAddress(), error.toString());
                if (!sizeLimit.refused()) {
                    super.onError(ch, error);
                }
            }
        });
        channel.resumeReceives();
    }
}
