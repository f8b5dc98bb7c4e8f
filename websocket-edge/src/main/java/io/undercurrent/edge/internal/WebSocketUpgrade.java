package io.undercurrent.edge.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.StreamConnection;

/**
 * The WebSocket handshake, with one upgrade listener for every connection.
 *
 * <p>Undertow's default handler ({@code Handlers.websocket(callback)}) gives each upgrade a listener of
 * its own that captures the upgrade request, and the HTTP connection keeps its upgrade listener for
 * as long as the socket is open: every WebSocket kept its upgrade request's exchange, with its request
 * and response headers, reachable for its whole life (about 1.5 KB a connection). This listener is
 * handed the exchange when the upgrade happens and keeps nothing of it, so the request is garbage once
 * {@link WebSocketConnectionCallback#onConnect} returns (unless the callback keeps it).
 */
final class WebSocketUpgrade implements HttpUpgradeListener {

    private final List<Handshake> handshakes =
            List.of(new Hybi13Handshake(), new Hybi08Handshake(), new Hybi07Handshake());
    /** The open channels, as Undertow's handler keeps them ({@link WebSocketChannel#getPeerConnections()}). */
    private final Set<WebSocketChannel> peers = ConcurrentHashMap.newKeySet();

    private final WebSocketConnectionCallback callback;

    private WebSocketUpgrade(WebSocketConnectionCallback callback) {
        this.callback = callback;
    }

    /** The handler that answers WebSocket handshakes (versions 13, 8 and 7) and hands each connection to {@code callback}. */
    static HttpHandler handler(WebSocketConnectionCallback callback) {
        WebSocketUpgrade upgrade = new WebSocketUpgrade(callback);
        return new WebSocketProtocolHandshakeHandler(upgrade.handshakes, upgrade);
    }

    @Override
    public void handleUpgrade(StreamConnection connection, HttpServerExchange exchange) {
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, peers);
        // The handler chose the handshake by these same request headers before it upgraded.
        Handshake handshake = handshakes.stream()
                .filter(h -> h.matches(facade))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("upgraded a request no WebSocket handshake matches"));
        WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
        peers.add(channel);
        callback.onConnect(facade, channel);
    }
}
