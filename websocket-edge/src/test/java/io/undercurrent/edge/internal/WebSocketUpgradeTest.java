package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade request of an open WebSocket is garbage once the connection is set up: nothing the
 * server keeps for the connection (its HTTP connection, the channel) reaches the exchange and its
 * headers, over a real socket against a real Undertow server.
 */
class WebSocketUpgradeTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final List<WeakReference<WebSocketHttpExchange>> exchanges = new CopyOnWriteArrayList<>();
    private final List<WebSocketChannel> channels = new CopyOnWriteArrayList<>();
    private Undertow server;
    private InetSocketAddress address;

    @BeforeEach
    void start() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/v1/live", WebSocketUpgrade.handler((exchange, channel) -> {
                    exchanges.add(new WeakReference<>(exchange));
                    channels.add(channel);
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                            WebSockets.sendText("echo " + message.getData(), ch, null);
                        }
                    });
                    channel.resumeReceives();
                })))
                .build();
        server.start();
        address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anOpenConnectionDoesNotKeepItsUpgradeRequest() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.sendText("hello");
            assertThat(ws.read(PROMPTLY).text()).isEqualTo("echo hello");
            assertThat(exchanges).hasSize(1);

            // Undertow's own handler leaves the exchange reachable from the HTTP connection's upgrade
            // listener for as long as the socket is open; then this never holds.
            Awaitility.await("the upgrade request is collected while the connection is open")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        System.gc();
                        return exchanges.get(0).get() == null;
                    });

            assertThat(channels.get(0).isOpen()).isTrue();
            ws.sendText("still there");
            assertThat(ws.read(PROMPTLY).text()).isEqualTo("echo still there");
        }
    }

    @Test
    void theChannelKnowsItsPeersUntilItCloses() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.sendText("hello");
            assertThat(ws.read(PROMPTLY).text()).isEqualTo("echo hello");
            assertThat(channels.get(0).getPeerConnections()).containsExactly(channels.get(0));
        }
        Awaitility.await()
                .atMost(PROMPTLY)
                .until(() -> channels.get(0).getPeerConnections().isEmpty());
    }
}
