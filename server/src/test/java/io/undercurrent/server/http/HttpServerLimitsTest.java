package io.undercurrent.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undertow.Handlers;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener's limits over real sockets against the real server: connections beyond the cap are
 * closed as they are accepted (not queued), and connections that never finish a request head, idle
 * or trickling (slowloris), are closed after the request timeout, while open WebSockets are not.
 */
class HttpServerLimitsTest {

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    private HttpServer server;
    private InetSocketAddress address;

    private void start(int maxConnections, Duration requestTimeout) {
        // A WebSocket that echoes text, standing in for the edge.
        var echo = Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    WebSockets.sendText(message.getData(), ch, null);
                }
            });
            channel.resumeReceives();
        });
        server = new HttpServer(
                "127.0.0.1",
                0,
                echo,
                null,
                List.of(),
                new HealthAccess(null),
                new HttpLimits(maxConnections, requestTimeout),
                new io.undercurrent.server.metrics.NodeMetrics());
        server.start();
        URI uri = URI.create(server.address());
        address = new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    @AfterEach
    void stop() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(address, 5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** True when the server closed the connection within {@code timeout}; false while it stays open. */
    private static boolean closedByServer(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a response or an error page may come first
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String get(Socket socket, String path) throws IOException {
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        socket.setSoTimeout(5_000);
        byte[] head = new byte[12];
        int read = socket.getInputStream().readNBytes(head, 0, head.length);
        return new String(head, 0, read, StandardCharsets.US_ASCII);
    }

    private int openConnections() {
        return (Integer) ((Map<?, ?>) server.status()).get("connections");
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndServedAgainOnceBelowIt() throws Exception {
        start(20, Duration.ofSeconds(60));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket socket = connect();
            assertThat(get(socket, "/v1/undercurrent.js")).isEqualTo("HTTP/1.1 200");
            held.add(socket); // kept alive, within the cap
        }

        for (int i = 0; i < 5; i++) {
            Socket beyond = connect();
            assertThat(closedByServer(beyond, Duration.ofSeconds(2)))
                    .as("connection %d beyond the cap is closed, not queued", i)
                    .isTrue();
        }
        assertThat(((Map<?, ?>) server.status()).get("refusedConnections")).isEqualTo(5L);
        assertThat(closedByServer(held.get(0), Duration.ofMillis(200)))
                .as("connections within the cap stay open")
                .isFalse();

        for (int i = 0; i < 5; i++) {
            held.get(i).close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 15);
        assertThat(get(connect(), "/v1/undercurrent.js")).isEqualTo("HTTP/1.1 200");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheRequestTimeout() throws Exception {
        start(100, Duration.ofSeconds(1));
        Socket silent = connect();
        assertThat(closedByServer(silent, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void keepAliveConnectionsAreClosedOnceIdleForTheRequestTimeout() throws Exception {
        start(100, Duration.ofSeconds(1));
        Socket client = connect();
        assertThat(get(client, "/v1/undercurrent.js")).isEqualTo("HTTP/1.1 200");
        assertThat(closedByServer(client, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void halfSentUpgradeRequestsAreClosedAfterTheRequestTimeout() throws Exception {
        start(1_000, Duration.ofSeconds(1));
        List<Socket> halfOpen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Socket socket = connect();
            send(
                    socket,
                    i % 2 == 0
                            ? "GET /v1/live HTT"
                            : "GET /v1/live HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nSec-WebSocket-");
            halfOpen.add(socket);
        }
        for (Socket socket : halfOpen) {
            assertThat(closedByServer(socket, Duration.ofSeconds(5))).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> openConnections() == 0);
    }

    @Test
    void aRequestHeadTrickledByteByByteIsClosedAfterTheRequestTimeout() throws Exception {
        start(100, Duration.ofSeconds(1));
        Socket slow = connect();
        byte[] head =
                "GET /v1/undercurrent.js HTTP/1.1\r\nHost: test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        int[] next = {0};
        trickle.scheduleAtFixedRate(
                () -> {
                    try {
                        if (next[0] < head.length) {
                            slow.getOutputStream().write(head[next[0]++]);
                            slow.getOutputStream().flush();
                        }
                    } catch (IOException closed) {
                        // the server gave up on the request
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        assertThat(closedByServer(slow, Duration.ofSeconds(5)))
                .as("closed long before the head's last byte (10 s)")
                .isTrue();
        assertThat(next[0]).isLessThan(head.length);
    }

    @Test
    void anOpenWebSocketOutlivesTheRequestTimeout() throws Exception {
        start(100, Duration.ofSeconds(1));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create(server.address().replace("http://", "ws://") + "/v1/live"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                echoed.complete(data.toString());
                                socket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }
                        })
                .join();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> !closed.isDone() && !ws.isInputClosed());
        ws.sendText("still here", true).join();
        assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
        ws.abort();
    }
}
