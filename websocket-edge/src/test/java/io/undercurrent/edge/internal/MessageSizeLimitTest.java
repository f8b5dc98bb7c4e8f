package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 64 KiB message bound, over real sockets against a real Undertow server: a message over the
 * bound is refused with 1009 from its frame headers alone, before its payload arrives (so nothing is
 * buffered), whether it comes whole or in fragments, and before the client signed in.
 */
class MessageSizeLimitTest {

    private static final int LIMIT = LiveSocket.MAX_MESSAGE_BYTES;
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private static Undertow server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        Clock clock = Clock.systemUTC();
        EdgeSettings settings = EdgeSettings.defaults("edge-test", "127.0.0.1:9", new Topics("t"), "app");
        ServerFrames frames = new ServerFrames();
        // Pings need nothing but the connection; the live-query machinery is never reached here.
        LiveQueries liveQueries = new LiveQueries(
                settings,
                null,
                null,
                null,
                null,
                new SubscriptionTable(),
                () -> null,
                Runnable::run,
                null,
                clock,
                frames);
        TokenVerifier verifier = new TokenVerifier(
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                clock,
                TokenVerifier.DEFAULT_CLOCK_SKEW,
                true);
        FrameHandler handler = new FrameHandler(settings, frames, verifier, liveQueries, new TokenExpiry(timer), clock);
        LiveSocket socket = new LiveSocket(
                settings,
                new ConcurrentHashMap<>(),
                handler,
                liveQueries,
                Runnable::run,
                frames,
                clock,
                io.undercurrent.edge.EdgeObserver.NONE);
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/v1/live", WebSocketUpgrade.handler(socket)))
                .build();
        server.start();
        address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        timer.shutdownNow();
    }

    /** A ping frame padded to exactly {@code bytes} bytes of JSON. */
    private static byte[] ping(String id, int bytes) {
        String head = "{\"type\":\"ping\",\"id\":\"" + id + "\",\"pad\":\"";
        String tail = "\"}";
        char[] pad = new char[bytes - head.length() - tail.length()];
        Arrays.fill(pad, 'x');
        return (head + new String(pad) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefusedTooBig(RawWebSocket ws) throws IOException {
        RawWebSocket.Frame close = ws.readUntilClose(PROMPTLY);
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1009);
        assertThat(ws.closedByServer(PROMPTLY))
                .as("the server drops the connection without waiting for the client")
                .isTrue();
    }

    @Test
    void aMessageOfExactlyTheLimitIsServed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.send(true, RawWebSocket.TEXT, ping("whole", LIMIT));
            assertThat(ws.read(PROMPTLY).text()).isEqualTo("{\"type\":\"pong\",\"id\":\"whole\"}");
        }
    }

    @Test
    void aFragmentedMessageWithinTheLimitIsServed() throws Exception {
        byte[] message = ping("parts", LIMIT);
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.send(false, RawWebSocket.TEXT, Arrays.copyOfRange(message, 0, 30_000));
            ws.send(false, RawWebSocket.CONTINUATION, Arrays.copyOfRange(message, 30_000, 60_000));
            ws.send(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(message, 60_000, message.length));
            assertThat(ws.read(PROMPTLY).text()).isEqualTo("{\"type\":\"pong\",\"id\":\"parts\"}");
        }
    }

    @Test
    void aFrameOneByteOverTheLimitIsRefusedFromItsHeader() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.sendHeader(true, RawWebSocket.TEXT, LIMIT + 1);
            assertRefusedTooBig(ws);
        }
    }

    @Test
    void aHugeFrameIsRefusedWhileItsPayloadIsStillArriving() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.sendHeader(true, RawWebSocket.TEXT, 200L * 1024 * 1024);
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                try {
                    for (int i = 0; i < 16; i++) {
                        ws.sendPayload(chunk);
                    }
                } catch (IOException closedByServer) {
                    // expected once the server has refused the frame
                }
            });
            writer.start();
            assertRefusedTooBig(ws);
            writer.join(PROMPTLY.toMillis());
        }
    }

    @Test
    void fragmentsThatAddUpOverTheLimitAreRefusedAtTheHeaderThatCrossesIt() throws Exception {
        byte[] message = ping("big", 2 * LIMIT);
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.send(false, RawWebSocket.TEXT, Arrays.copyOfRange(message, 0, 40_000));
            ws.sendHeader(true, RawWebSocket.CONTINUATION, 40_000);
            assertRefusedTooBig(ws);
        }
    }

    @Test
    void binaryFramesAreBoundToo() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(address, "/v1/live")) {
            ws.sendHeader(true, RawWebSocket.BINARY, 10L * 1024 * 1024);
            assertRefusedTooBig(ws);
        }
    }
}
