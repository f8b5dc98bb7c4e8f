package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.UnknownTableException;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unsubscribe ends a live query in every state it can be in, and nothing for its id follows the
 * {@code unsubscribed} answer. The worker pool is stepped by hand, so each state is reached exactly;
 * Kafka and the database are in-memory fakes; frames travel over a real socket (in-process Undertow
 * and a JDK WebSocket client).
 */
class LiveQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema TODOS = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text")),
            List.of("id"));
    private static final String MARKER = "{\"type\":\"pong\",\"id\":\"marker\"}";

    private final SteppedExecutor workers = new SteppedExecutor();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final FakeSnapshots snapshots = new FakeSnapshots();
    private final SubscriptionTable table = new SubscriptionTable();
    private final EdgeSettings settings = EdgeSettings.defaults("e1", "localhost:9", new Topics("t"), "app");
    private final Map<String, SourceReader> readers = Map.of("app", new NamesOnly("app"));
    private final SteppedClock clock = new SteppedClock();
    private final LiveQueries liveQueries = new LiveQueries(
            settings,
            readers,
            LiveQueriesTest::schema,
            snapshots,
            publisher,
            table,
            () -> RULES,
            workers,
            delays,
            clock,
            new ServerFrames());
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Outbox> accepted = new CompletableFuture<>();
    private Undertow server;
    private WebSocket client;
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
        connection = new ClientConnection("c1", accepted.get(10, TimeUnit.SECONDS), new RateLimiter(50, 0), 0);
    }

    @AfterEach
    void stop() {
        client.abort();
        server.stop();
        delays.shutdownNow();
    }

    @Test
    void aSubscribeThatFindsTheWorkersFullIsAnsweredOverloadedAndCanBeSentAgain() throws Exception {
        workers.full(true);
        liveQueries.subscribe(connection, subscribe("q1", "public.todos", null));

        assertThat(framesFor("q1"))
                .as("answered at once, nothing validated on the IO thread")
                .containsExactly("error:overloaded");
        assertThat(received)
                .filteredOn(f -> "q1".equals(f.path("id").asText()))
                .extracting(f -> f.path("message").asText())
                .allMatch(m -> m.contains("subscribe again"));
        assertThat(publisher.writes).isEmpty();
        assertThat(connection.subscriptions()).isEmpty();

        workers.full(false);
        opened("q1", null); // the query id was freed: the same subscribe, sent again, opens
    }

    @Test
    void anInitialResultTheWorkersRefuseEndsTheQueryOverloadedWithoutReadingOnTheDeliveryThread() throws Exception {
        EdgeSubscription sub = opened("q1", null);
        assertThat(sub.onRegistered(ack(sub))).isTrue();
        workers.full(true);
        liveQueries.startSnapshot(sub, connection); // as the delivery thread does on an acknowledgement

        assertThat(snapshots.reads).as("no read ran on the calling thread").isZero();
        assertThat(framesFor("q1")).containsExactly("error:overloaded");
        assertThat(publisher.writes).containsExactly("publish e1/c1/q1", "unpublish e1/c1/q1");
        assertThat(connection.subscriptions()).isEmpty();
        assertThat(table.size()).isZero();
    }

    @Test
    void anUnsubscribeWhileTheQueryIsValidatedEndsItAndTheWorkerOpensNothing() throws Exception {
        liveQueries.subscribe(connection, subscribe("q1", "public.todos", null));
        liveQueries.unsubscribe(connection, "q1");
        workers.runAll();

        assertThat(framesFor("q1")).containsExactly("unsubscribed");
        assertThat(publisher.writes).isEmpty();
        assertThat(table.size()).isZero();
        assertThat(connection.subscriptions()).isEmpty();
    }

    @Test
    void aValidationErrorOfAnUnsubscribedQueryIsNotSent() throws Exception {
        liveQueries.subscribe(connection, subscribe("q1", "public.nope", null));
        liveQueries.unsubscribe(connection, "q1");
        workers.runAll();

        assertThat(framesFor("q1")).containsExactly("unsubscribed");
    }

    @Test
    void anUnsubscribeWhileRoutersHaveNotAcknowledgedWithdrawsTheRecordAndIgnoresLateAcks() throws Exception {
        EdgeSubscription sub = opened("q1", null);
        liveQueries.unsubscribe(connection, "q1");
        assertThat(sub.onRegistered(ack(sub)))
                .as("a late acknowledgement starts no snapshot")
                .isFalse();

        assertThat(framesFor("q1")).containsExactly("unsubscribed");
        assertThat(publisher.writes).containsExactly("publish e1/c1/q1", "unpublish e1/c1/q1");
        assertThat(table.size()).isZero();
    }

    @Test
    void anUnsubscribeWhileTheSnapshotIsReadSendsNeitherTheSnapshotNorItsError() throws Exception {
        EdgeSubscription sub = opened("q1", null);
        assertThat(sub.onRegistered(ack(sub))).isTrue();
        liveQueries.startSnapshot(sub, connection);
        liveQueries.unsubscribe(connection, "q1");
        workers.runAll();

        EdgeSubscription failing = opened("q2", null);
        failing.onRegistered(ack(failing));
        liveQueries.startSnapshot(failing, connection);
        liveQueries.unsubscribe(connection, "q2");
        snapshots.failure = new io.undercurrent.source.SourceUnavailableException("connection reset", null);
        workers.runAll();

        assertThat(framesFor("q1")).containsExactly("unsubscribed");
        assertThat(framesFor("q2")).containsExactly("unsubscribed");
        assertThat(snapshots.reads).isEqualTo(2);
    }

    @Test
    void anUnsubscribedLiveQueryGetsNoMoreChanges() throws Exception {
        EdgeSubscription sub = live("q1", null);
        deliver(sub, 1);
        sub.flush();
        liveQueries.unsubscribe(connection, "q1");
        deliver(sub, 2);
        sub.flush();

        assertThat(framesFor("q1")).containsExactly("snapshot", "changes", "unsubscribed");
        assertThat(table.size()).isZero();
    }

    @Test
    void subscriptionsSharingOneCarriedDeltaEachGetTheChangeFromTheDeliveryTopic() throws Exception {
        EdgeSubscription q1 = live("q1", null);
        EdgeSubscription q2 = live("q2", null);
        EdgeSubscription q3 = live("q3", null);
        Delta delta = new Delta(DeltaOp.ADDED, Map.of("id", 7L), Map.of("id", 7L, "title", "shared"), null);
        Delivery.Changes changes = new Delivery.Changes(
                "app",
                0,
                7,
                "500",
                "lsn:7",
                0,
                0,
                List.of(
                        new Delivery.Target(q1.id(), q1.generation(), "v1", List.of(delta)),
                        new Delivery.Target(q2.id(), q2.generation(), "v1", List.of(), 0),
                        new Delivery.Target(q3.id(), q3.generation(), "v1", List.of(), 0)));
        BusCodec codec = new BusCodec();
        new DeliveryDispatcher(table, codec, s -> {})
                .accept(List.of(new ConsumerRecord<>("t.edge.e1", 0, 0, null, codec.encode(changes))));

        for (String query : List.of("q1", "q2", "q3")) {
            assertThat(framesFor(query)).as(query).containsExactly("snapshot", "changes");
        }
        assertThat(received)
                .filteredOn(f -> "changes".equals(f.path("type").asText()))
                .extracting(
                        f -> f.path("changes").get(0).path("row").path("title").asText())
                .containsExactly("shared", "shared", "shared");
    }

    @Test
    void anUnsubscribeWhileAWindowReadIsInFlightSendsNothingOfThatRead() throws Exception {
        EdgeSubscription sub = live("q1", 10);
        deliver(sub, 1); // marks the window dirty: a read is scheduled
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.queued() > 0);
        liveQueries.unsubscribe(connection, "q1");
        snapshots.rows = List.of(Map.of("id", 1L, "title", "read after the unsubscribe"));
        workers.runAll();

        assertThat(framesFor("q1")).containsExactly("snapshot", "unsubscribed");
    }

    @Test
    void aReusedQueryIdIgnoresAcknowledgementsAndDeltasMeantForTheSubscriptionItReplaced() throws Exception {
        EdgeSubscription old = opened("q1", null);
        Delivery.Registered staleAck = ack(old);
        liveQueries.unsubscribe(connection, "q1");
        EdgeSubscription fresh = opened("q1", null);

        assertThat(fresh.generation()).isNotEqualTo(old.generation());
        assertThat(fresh.onRegistered(staleAck)).isFalse();
        assertThat(table.get(fresh.id())).isSameAs(fresh);
        assertThat(fresh.onRegistered(ack(fresh))).isTrue();
    }

    @Test
    void aClosedConnectionCancelsTheQueriesStillBeingValidated() throws Exception {
        liveQueries.subscribe(connection, subscribe("q1", "public.todos", null));
        liveQueries.closeAll(connection);
        workers.runAll();

        assertThat(publisher.writes).isEmpty();
        assertThat(table.size()).isZero();
        assertThat(connection.subscriptions()).isEmpty();
    }

    @Test
    void aSecondSubscribeWithTheSameIdIsRefusedWhileTheFirstIsValidatedAndOneUnsubscribeEndsIt() throws Exception {
        liveQueries.subscribe(connection, subscribe("q1", "public.todos", null));
        liveQueries.subscribe(connection, subscribe("q1", "public.todos", null));
        workers.runAll();
        liveQueries.unsubscribe(connection, "q1");

        assertThat(framesFor("q1")).containsExactly("error:bad_request", "unsubscribed");
        assertThat(publisher.writes).containsExactly("publish e1/c1/q1", "unpublish e1/c1/q1");
        assertThat(table.size()).isZero();
    }

    @Test
    void aSubscriptionNoRouterAcknowledgesIsRegisteredAgainThenAnsweredWithAnErrorWithinTheTimeout() throws Exception {
        long attempt = settings.registrationTimeout().toMillis() / LiveQueries.REGISTRATION_ATTEMPTS;
        opened("q1", null);
        Map<String, ClientConnection> connections = Map.of(connection.id(), connection);
        for (int i = 0; i < LiveQueries.REGISTRATION_ATTEMPTS; i++) {
            liveQueries.checkRegistrations(connections);
            assertThat(framesFor("q1"))
                    .as("before %d ms", attempt * i + attempt)
                    .isEmpty();
            clock.advance(attempt);
            liveQueries.checkRegistrations(connections);
        }

        assertThat(framesFor("q1")).containsExactly("error:internal");
        JsonNode error = received.stream()
                .filter(f -> "q1".equals(f.path("id").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(error.path("message").asText())
                .contains("no router acknowledged")
                .contains("retry");
        assertThat(publisher.writes)
                .containsExactly("publish e1/c1/q1", "publish e1/c1/q1", "publish e1/c1/q1", "unpublish e1/c1/q1");
        assertThat(table.size()).isZero();
    }

    @Test
    void anUnknownQueryIdIsStillABadRequest() throws Exception {
        liveQueries.unsubscribe(connection, "nope");
        assertThat(framesFor("nope")).containsExactly("error:bad_request");
    }

    // --- steps

    private EdgeSubscription opened(String queryId, Integer limit) {
        liveQueries.subscribe(connection, subscribe(queryId, "public.todos", limit));
        workers.runAll();
        EdgeSubscription sub = connection.subscriptions().get(queryId);
        assertThat(sub).as("subscription %s opened", queryId).isNotNull();
        return sub;
    }

    private EdgeSubscription live(String queryId, Integer limit) {
        EdgeSubscription sub = opened(queryId, limit);
        assertThat(sub.onRegistered(ack(sub))).isTrue();
        liveQueries.startSnapshot(sub, connection);
        workers.runAll();
        assertThat(sub.state()).isEqualTo(EdgeSubscription.State.LIVE);
        return sub;
    }

    private static Delivery.Registered ack(EdgeSubscription sub) {
        return new Delivery.Registered(sub.id(), sub.generation(), "r1", "v1", List.of(0), 1);
    }

    private static void deliver(EdgeSubscription sub, long id) {
        Delta delta = new Delta(DeltaOp.ADDED, Map.of("id", id), Map.of("id", id, "title", "t" + id), null);
        Delivery.Changes changes = new Delivery.Changes(
                "app",
                0,
                id,
                "500",
                "lsn:" + id,
                0,
                0,
                List.of(new Delivery.Target(sub.id(), sub.generation(), "v1", List.of(delta))));
        sub.onChanges(changes, changes.targets().get(0));
    }

    private static ClientFrame.Subscribe subscribe(String id, String table, Integer limit) {
        ObjectNode frame =
                JSON.createObjectNode().put("type", "subscribe").put("id", id).put("table", table);
        if (limit != null) {
            frame.put("limit", limit);
        }
        return new ClientFrame.Subscribe(id, null, table, frame);
    }

    /** Every frame for a query id that reached the client, as {@code type} or {@code error:code}. */
    private List<String> framesFor(String queryId) {
        connection.outbox().send(MARKER); // frames keep their order: once the marker is in, all earlier frames are
        await().atMost(Duration.ofSeconds(10))
                .until(() -> received.stream()
                        .anyMatch(f -> "marker".equals(f.path("id").asText())));
        List<String> out = new ArrayList<>();
        for (JsonNode frame : received) {
            if (queryId.equals(frame.path("id").asText())) {
                String type = frame.path("type").asText();
                out.add("error".equals(type) ? "error:" + frame.path("code").asText() : type);
            }
        }
        received.removeIf(f -> "marker".equals(f.path("id").asText()));
        return out;
    }

    // --- fakes

    private static TableSchema schema(String source, String table) throws UnknownTableException {
        if (!"public.todos".equals(table)) {
            throw new UnknownTableException(source, table);
        }
        return TODOS;
    }

    /** A clock the test moves. */
    private static final class SteppedClock extends Clock {
        private volatile long millis = 1_767_225_600_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Runs submitted work only when the test says so. */
    private static final class SteppedExecutor implements Executor {
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        /** As a full pool with the abort policy: every task is refused. */
        private boolean full;

        @Override
        public synchronized void execute(Runnable task) {
            if (full) {
                throw new RejectedExecutionException("full");
            }
            queue.add(task);
        }

        synchronized void full(boolean isFull) {
            full = isFull;
        }

        synchronized int queued() {
            return queue.size();
        }

        void runAll() {
            Runnable next;
            while ((next = poll()) != null) {
                next.run();
            }
        }

        private synchronized Runnable poll() {
            return queue.poll();
        }
    }

    private static final class RecordingPublisher implements SubscriptionPublisher {
        final List<String> writes = new CopyOnWriteArrayList<>();

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
    }

    private static final class FakeSnapshots implements SnapshotSource {
        volatile List<Map<String, Object>> rows = List.of();
        volatile Exception failure;
        volatile int reads;

        @Override
        public ReadResult read(
                TableRef table,
                io.undercurrent.query.LiveQuery query,
                TableSchema schema,
                Map<String, Object> auth,
                RuleSet rules,
                String queryId)
                throws ProtocolException, SourceReadException {
            reads++;
            if (failure instanceof SourceReadException e) {
                throw e;
            }
            return new ReadResult(rows, TestPoints.xids("100:100:"));
        }
    }

    /** A source's reader that only names tables (PostgreSQL's way); schemas and rows come from the fakes above. */
    private record NamesOnly(String source) implements SourceReader {
        @Override
        public String qualify(String table) {
            return table.indexOf('.') < 0 ? "public." + table : table;
        }

        @Override
        public TableSchema schema(String table) {
            throw new UnsupportedOperationException("schemas come from LiveQueriesTest::schema");
        }

        @Override
        public ReadResult read(ReadRequest request, RowGate gate) {
            throw new UnsupportedOperationException("rows come from FakeSnapshots");
        }

        @Override
        public void close() {}
    }

    private static final RuleSet RULES = new RuleSet() {
        @Override
        public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            throw new UnsupportedOperationException("the snapshot reader is a fake here");
        }

        @Override
        public boolean hasRule(TableRef table) {
            return true;
        }

        @Override
        public Set<TableRef> tables() {
            return Set.of(new TableRef("app", "public.todos"));
        }

        @Override
        public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String version(TableRef table) {
            return "v1";
        }

        @Override
        public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
            return true;
        }

        @Override
        public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
            return true;
        }

        @Override
        public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
            return RowCondition.TRUE;
        }
    };

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString().getBytes(StandardCharsets.UTF_8)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
