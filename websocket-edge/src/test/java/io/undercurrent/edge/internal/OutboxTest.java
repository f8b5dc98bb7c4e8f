package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's outbox against a real socket (in-process Undertow and a JDK WebSocket client), with
 * the token deadline read from a clock the test moves and expiry timers the test fires by hand.
 */
class OutboxTest {

    private static final long EXP = 1_767_225_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(EXP - 1_000);
    private final ManualTimer timer = new ManualTimer();
    private final TokenExpiry expiry = new TokenExpiry(timer);
    private final ServerFrames frames = new ServerFrames();
    private final CompletableFuture<Outbox> accepted = new CompletableFuture<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private Undertow server;
    private WebSocket client;
    private Outbox outbox;
    private ClientConnection connection;

    @BeforeEach
    void connect() throws Exception {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.websocket((exchange, channel) -> {
                    accepted.complete(new Outbox(channel, 1 << 20, clock));
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {});
                    channel.resumeReceives();
                }))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        client = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new Recorder())
                .get(10, TimeUnit.SECONDS);
        outbox = accepted.get(10, TimeUnit.SECONDS);
        connection = new ClientConnection("c1", outbox, new RateLimiter(50, clock.millis()), clock.millis());
    }

    @AfterEach
    void stop() {
        client.abort();
        server.stop();
        timer.shutdownNow();
    }

    private String change(String title) {
        return frames.changes(
                "q1",
                List.of(Map.of("op", "added", "key", Map.of("id", 1), "row", Map.of("title", title))),
                "lsn:1",
                EXP);
    }

    private List<String> types() {
        return received.stream()
                .map(f -> f.path("type").asText() + ":"
                        + f.path("code")
                                .asText(f.path("changes")
                                        .path(0)
                                        .path("row")
                                        .path("title")
                                        .asText()))
                .toList();
    }

    @Test
    void noFrameLeavesOnceTheTokenHasExpiredAndTheClientHearsWhyOnce() throws Exception {
        assertThat(connection.authenticate(Map.of("sub", "alice"), EXP)).isTrue();
        clock.set(EXP - 1);
        assertThat(outbox.send(change("before"))).isTrue();

        clock.set(EXP);
        assertThat(outbox.send(change("at-exp"))).as("a data frame at exp").isFalse();
        assertThat(outbox.send(frames.snapshot("q2", List.of("id"), List.of(), "snapshot:1")))
                .isFalse();
        assertThat(outbox.send(frames.pong("p"))).isFalse();

        assertThat(closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        assertThat(types()).containsExactly("changes:before", "error:token_expired");
    }

    @Test
    void theTimerClosesTheConnectionAtExpWithoutWaitingForAFrame() throws Exception {
        connection.authenticate(Map.of("sub", "alice"), EXP);
        expiry.watch(outbox);
        ManualTimer.Task alarm = timer.pending();
        assertThat(alarm.delayMs()).as("scheduled for exp exactly").isEqualTo(1_000);

        // The timer fires a moment early by the edge's clock: nothing closes, it is set again for the rest.
        clock.set(EXP - 3);
        alarm.run();
        assertThat(outbox.isClosed()).isFalse();
        ManualTimer.Task again = timer.pending();
        assertThat(again.delayMs()).isEqualTo(3);

        clock.set(EXP);
        again.run();
        assertThat(closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        assertThat(types()).containsExactly("error:token_expired");
    }

    @Test
    void aRefreshBeforeExpMovesTheDeadlineAndFramesKeepFlowing() throws Exception {
        connection.authenticate(Map.of("sub", "alice"), EXP);
        expiry.watch(outbox);
        clock.set(EXP - 1);
        assertThat(connection.authenticate(Map.of("sub", "alice"), EXP + 60_000))
                .isTrue();
        expiry.watch(outbox);
        assertThat(timer.scheduled().get(0).cancelled())
                .as("the old token's timer")
                .isTrue();
        assertThat(timer.pending().delayMs()).isEqualTo(60_001);

        clock.set(EXP + 1);
        assertThat(outbox.send(change("after-refresh"))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> types().contains("changes:after-refresh"));
        assertThat(outbox.isClosed()).isFalse();
        assertThat(closeCode).isNotDone();
    }

    @Test
    void aRefreshThatArrivesAfterExpIsTooLate() throws Exception {
        connection.authenticate(Map.of("sub", "alice"), EXP);
        clock.set(EXP + 2);
        assertThat(connection.authenticate(Map.of("sub", "mallory"), EXP + 60_000))
                .isFalse();
        assertThat(connection.claims()).containsEntry("sub", "alice");
        assertThat(outbox.send(change("late"))).isFalse();
        assertThat(closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        assertThat(types()).containsExactly("error:token_expired");
    }

    @Test
    void closingTheConnectionCancelsItsExpiryTimer() throws Exception {
        connection.authenticate(Map.of("sub", "alice"), EXP);
        expiry.watch(outbox);
        client.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> timer.scheduled().get(0).cancelled());
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
