package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection that closes while another thread holds one of its subscriptions (the delivery thread
 * writing to it, a worker sending its snapshot) must not make the IO thread wait: Undertow may run
 * the close on the IO thread while it holds the channel's monitor, which that other thread needs
 * for its write. Real sockets against an in-process Undertow with one IO thread, so a waiting IO
 * thread would leave every other connection unserved.
 */
class LiveSocketCloseTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final Clock clock = Clock.systemUTC();
    private final EdgeSettings settings = EdgeSettings.defaults("e1", "127.0.0.1:9", new Topics("t"), "app");
    private final ServerFrames frames = new ServerFrames();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SubscriptionTable table = new SubscriptionTable();
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final List<Runnable> closeWork = new CopyOnWriteArrayList<>();
    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private Undertow server;
    private InetSocketAddress address;

    @BeforeEach
    void start() {
        LiveQueries liveQueries = new LiveQueries(
                settings,
                Map.of(),
                null,
                null,
                new SubscriptionPublisher() {
                    @Override
                    public CompletableFuture<Void> publish(SubscriptionRecord record) {
                        writes.add("publish " + record.id().asKey());
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public CompletableFuture<Void> unpublish(SubscriptionId id) {
                        writes.add("unpublish " + id.asKey());
                        return CompletableFuture.completedFuture(null);
                    }
                },
                table,
                () -> null,
                Runnable::run,
                timer,
                clock,
                frames);
        TokenVerifier verifier = new TokenVerifier(
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                clock,
                TokenVerifier.DEFAULT_CLOCK_SKEW,
                true);
        FrameHandler handler = new FrameHandler(settings, frames, verifier, liveQueries, new TokenExpiry(timer), clock);
        LiveSocket socket = new LiveSocket(
                settings, connections, handler, liveQueries, closeWork::add, frames, clock, EdgeObserver.NONE);
        server = Undertow.builder()
                .setIoThreads(1)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/v1/live", WebSocketUpgrade.handler(socket)))
                .build();
        server.start();
        address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @AfterEach
    void stop() {
        server.stop();
        timer.shutdownNow();
    }

    @Test
    void aConnectionClosingWhileItsSubscriptionIsHeldLeavesTheIoThreadFree() throws Exception {
        RawWebSocket leaving = RawWebSocket.connect(address, "/v1/live");
        await().atMost(PROMPTLY).until(() -> connections.size() == 1);
        ClientConnection connection = connections.values().iterator().next();
        EdgeSubscription sub = subscription(connection);
        connection.subscriptions().put("q1", sub);
        table.add(sub);
        Runnable leavingWork;

        synchronized (sub) { // another thread in the middle of a write to this client
            leaving.close();
            await().atMost(PROMPTLY).until(connections::isEmpty);
            // Taken before the second connection opens: its own close may add work of its own.
            await().atMost(PROMPTLY)
                    .alias("the live queries are ended off the IO thread")
                    .until(() -> closeWork.size() == 1);
            leavingWork = closeWork.get(0);
            try (RawWebSocket other = RawWebSocket.connect(address, "/v1/live")) {
                other.sendText("{\"type\":\"ping\",\"id\":\"still-served\"}");
                assertThat(other.read(PROMPTLY).text())
                        .as("the IO thread serves other connections")
                        .isEqualTo("{\"type\":\"pong\",\"id\":\"still-served\"}");
            }
        }

        assertThat(sub.state()).isNotEqualTo(EdgeSubscription.State.CLOSED);
        leavingWork.run();
        assertThat(sub.state()).isEqualTo(EdgeSubscription.State.CLOSED);
        assertThat(writes).containsExactly("unpublish " + sub.id().asKey());
        assertThat(table.all()).isEmpty();
    }

    private EdgeSubscription subscription(ClientConnection connection) {
        TableSchema schema = new TableSchema(
                "app",
                "public.todos",
                List.of(new TableSchema.Column("id", ColumnType.INTEGER, "int8")),
                List.of("id"));
        return new EdgeSubscription(
                new SubscriptionId("e1", connection.id(), "q1"),
                new LiveQuery("app", "public.todos", null, null, null, null),
                schema,
                new TableRef("app", "public.todos"),
                new ObjectMapper().createObjectNode(),
                connection.outbox(),
                frames,
                10,
                Map.of(),
                "v1",
                clock.millis());
    }
}
