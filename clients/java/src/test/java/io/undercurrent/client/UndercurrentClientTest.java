package io.undercurrent.client;

import static io.undercurrent.client.FakeTransport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's own logic against an in-memory server ({@link FakeTransport}). Against the real one: {@link LiveQueryIT}. */
class UndercurrentClientTest {

    record Todo(long id, String title, String body) {}

    private final FakeTransport server = new FakeTransport();
    private final List<ConnectionStatus> states = new CopyOnWriteArrayList<>();
    private final List<ServerError> errors = new CopyOnWriteArrayList<>();
    private UndercurrentClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private UndercurrentClient connect(Consumer<UndercurrentClient.Builder> options) {
        UndercurrentClient.Builder builder = UndercurrentClient.builder(URI.create("ws://test/v1/live"))
                .transport(server)
                .backoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(160))
                        .withRandom(() -> 1.0))
                .connectionListener(states::add)
                .errorListener(errors::add);
        options.accept(builder);
        client = builder.build();
        return client;
    }

    private static Map<String, Object> snapshot(JsonNode subscribe, String position, Object... rows) {
        return Map.of(
                "type",
                "snapshot",
                "id",
                subscribe.path("id").asText(),
                "keyColumns",
                List.of("id"),
                "position",
                position,
                "rows",
                List.of(rows));
    }

    private static Map<String, Object> changes(JsonNode subscribe, String position, Object... changes) {
        return Map.of(
                "type",
                "changes",
                "id",
                subscribe.path("id").asText(),
                "position",
                position,
                "committedAt",
                1,
                "changes",
                List.of(changes));
    }

    private List<ConnectionState> stateNames() {
        return states.stream().map(ConnectionStatus::state).toList();
    }

    private static <T> LiveQueryListener<T> none() {
        return new LiveQueryListener<>() {};
    }

    @Test
    void appliesSnapshotThenAddedChangedAndRemovedByKeyIntoTypedRows() {
        connect(b -> {});
        List<List<Change<Todo>>> seen = new CopyOnWriteArrayList<>();
        LiveQuery<Todo> todos = client.subscribe(Query.table("public.todos"), Todo.class, new LiveQueryListener<>() {
            @Override
            public void onChanges(List<Change<Todo>> changes) {
                seen.add(changes);
            }
        });
        FakeTransport.Socket socket = server.accept(1);
        JsonNode sub = socket.received("subscribe");
        assertThat(todos.status()).isEqualTo(QueryStatus.LOADING);

        socket.push(snapshot(
                sub,
                "s1",
                Map.of("id", 1, "title", "milk", "body", "long", "extra", 1),
                Map.of("id", 2, "title", "eggs", "body", "x")));
        socket.push(changes(
                sub,
                "p2",
                Map.of(
                        "op",
                        "changed",
                        "key",
                        Map.of("id", 1),
                        "row",
                        Map.of("id", 1, "title", "oat milk"),
                        "unchanged",
                        List.of("body")),
                Map.of("op", "removed", "key", Map.of("id", 2)),
                Map.of("op", "added", "key", Map.of("id", 3), "row", Map.of("id", 3, "title", "bread", "body", "y"))));

        await().atMost(WAIT).until(() -> "p2".equals(todos.position()));
        assertThat(todos.rows()).containsExactly(new Todo(1, "oat milk", "long"), new Todo(3, "bread", "y"));
        assertThat(todos.status()).isEqualTo(QueryStatus.LIVE);
        assertThat(seen)
                .singleElement()
                .satisfies(c -> assertThat(c)
                        .extracting(Change::op)
                        .containsExactly(Change.Op.CHANGED, Change.Op.REMOVED, Change.Op.ADDED));
        assertThat(seen.get(0).get(1)).isEqualTo(new Change<Todo>(Change.Op.REMOVED, Map.of("id", 2), null));
    }

    @Test
    void aCompositeKeyMatchesRowsWhateverTheOrderOfTheKeyFields() {
        connect(b -> {});
        LiveQuery<Map<String, Object>> members = client.subscribe(Query.table("public.members"), none());
        FakeTransport.Socket socket = server.accept(1);
        JsonNode sub = socket.received("subscribe");
        socket.push(Map.of(
                "type",
                "snapshot",
                "id",
                sub.path("id").asText(),
                "keyColumns",
                List.of("team", "user"),
                "position",
                "s",
                "rows",
                List.of(Map.of("team", 1, "user", "a", "role", "x"), Map.of("team", 1, "user", "b", "role", "y"))));
        socket.push("{\"type\":\"changes\",\"id\":\"" + sub.path("id").asText() + "\",\"position\":\"p\",\"changes\":["
                + "{\"op\":\"changed\",\"key\":{\"user\":\"a\",\"team\":1},\"row\":{\"user\":\"a\",\"team\":1,\"role\":\"z\"}},"
                + "{\"op\":\"removed\",\"key\":{\"user\":\"b\",\"team\":1}}]}");
        await().atMost(WAIT).until(() -> "p".equals(members.position()));
        assertThat(members.rows()).containsExactly(Map.of("team", 1, "user", "a", "role", "z"));
    }

    @Test
    void authenticatesFirstAndSubscribesOnceTheServerIsReady() {
        connect(b -> b.token("t1"));
        LiveQuery<Map<String, Object>> todos =
                client.subscribe(Query.table("public.todos").where(Map.of("done", Map.of("eq", false))), none());
        FakeTransport.Socket socket = server.accept(1);
        JsonNode auth = socket.received("auth");
        assertThat(auth.path("token").asText()).isEqualTo("t1");
        assertThat(socket.count("subscribe")).isZero();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);

        socket.ready(Map.of("expiresAt", System.currentTimeMillis() + 3_600_000));
        JsonNode sub = socket.received("subscribe");
        assertThat(sub.path("where").path("done").path("eq").asBoolean(true)).isFalse();
        assertThat(sub.has("after")).isFalse();
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.READY);
        socket.push(snapshot(sub, "s", Map.of("id", 1, "done", false)));
        await().atMost(WAIT).until(() -> todos.rows().equals(List.of(Map.of("id", 1, "done", false))));
    }

    @Test
    void afterALostConnectionReconnectsWithBackoffAndTheFreshSnapshotReplacesTheRows() {
        connect(b -> {});
        AtomicInteger snapshots = new AtomicInteger();
        LiveQuery<Map<String, Object>> todos = client.subscribe(Query.table("public.todos"), new LiveQueryListener<>() {
            @Override
            public void onSnapshot(List<Map<String, Object>> rows) {
                snapshots.incrementAndGet();
            }
        });
        FakeTransport.Socket first = server.accept(1);
        first.push(snapshot(first.received("subscribe"), "s1", Map.of("id", 1), Map.of("id", 2)));
        await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LIVE);

        first.drop(1006);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
        assertThat(todos.status()).isEqualTo(QueryStatus.RECONNECTING);
        assertThat(todos.rows()).hasSize(2);
        assertThat(client.status().closeCode()).isEqualTo(1006);
        assertThat(client.status().retryIn()).isEqualTo(Duration.ofMillis(20));

        FakeTransport.Socket second = server.accept(2);
        JsonNode again = second.received("subscribe");
        assertThat(again.has("after"))
                .as("no resume asked of a server that did not announce it")
                .isFalse();
        second.push(snapshot(again, "s2", Map.of("id", 2), Map.of("id", 3)));
        await().atMost(WAIT).until(() -> snapshots.get() == 2);
        assertThat(todos.rows()).containsExactly(Map.of("id", 2), Map.of("id", 3));
        assertThat(todos.status()).isEqualTo(QueryStatus.LIVE);
        assertThat(stateNames())
                .containsExactly(ConnectionState.READY, ConnectionState.RECONNECTING, ConnectionState.READY);
    }

    @Test
    void resumesFromTheLastAppliedPositionWhenTheServerAnnouncedIt() {
        connect(b -> b.token("t"));
        AtomicInteger snapshots = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        LiveQuery<Map<String, Object>> todos = client.subscribe(Query.table("public.todos"), new LiveQueryListener<>() {
            @Override
            public void onSnapshot(List<Map<String, Object>> rows) {
                snapshots.incrementAndGet();
            }

            @Override
            public void onResumed() {
                resumed.incrementAndGet();
            }
        });
        FakeTransport.Socket first = server.accept(1);
        first.ready(Map.of("features", List.of("resume")));
        JsonNode sub = first.received("subscribe");
        assertThat(sub.has("after"))
                .as("a first subscription has nothing to resume from")
                .isFalse();
        first.push(snapshot(sub, "s1", Map.of("id", 1, "n", 1)));
        first.push(changes(sub, "p7", Map.of("op", "added", "key", Map.of("id", 2), "row", Map.of("id", 2, "n", 1))));
        await().atMost(WAIT).until(() -> "p7".equals(todos.position()));

        first.drop(1001);
        FakeTransport.Socket second = server.accept(2);
        second.ready(Map.of("features", List.of("resume")));
        JsonNode again = second.received("subscribe");
        assertThat(again.path("after").asText()).isEqualTo("p7");
        second.push(Map.of("type", "resumed", "id", again.path("id").asText()));
        second.push(
                changes(again, "p9", Map.of("op", "changed", "key", Map.of("id", 1), "row", Map.of("id", 1, "n", 2))));

        await().atMost(WAIT).until(() -> "p9".equals(todos.position()));
        assertThat(todos.rows()).containsExactly(Map.of("id", 1, "n", 2), Map.of("id", 2, "n", 1));
        assertThat(snapshots).hasValue(1);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void aResetKeepsRowsUntilTheSnapshotAndForgetsThePosition() {
        connect(b -> b.token("t"));
        List<String> resets = new CopyOnWriteArrayList<>();
        LiveQuery<Map<String, Object>> todos = client.subscribe(Query.table("public.todos"), new LiveQueryListener<>() {
            @Override
            public void onReset(String reason) {
                resets.add(reason);
            }
        });
        FakeTransport.Socket first = server.accept(1);
        first.ready(Map.of("features", List.of("resume")));
        JsonNode sub = first.received("subscribe");
        first.push(snapshot(sub, "s1", Map.of("id", 1)));
        first.push(Map.of("type", "reset", "id", sub.path("id").asText(), "reason", "rules changed"));
        await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LOADING);
        assertThat(todos.rows()).containsExactly(Map.of("id", 1));
        assertThat(todos.position()).isNull();
        assertThat(resets).containsExactly("rules changed");

        first.drop(1006);
        FakeTransport.Socket second = server.accept(2);
        second.ready(Map.of("features", List.of("resume")));
        assertThat(second.received("subscribe").has("after"))
                .as("a reset position is never resumed from")
                .isFalse();
    }

    @Test
    void backoffDoublesUpToTheCapWithJitterBetweenHalfAndAll() {
        Backoff full = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(1000))
                .withRandom(() -> 1.0);
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream()
                        .map(a -> full.delay(a).toMillis())
                        .toList())
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        Backoff half = full.withRandom(() -> 0.0);
        assertThat(List.of(0, 1, 4).stream().map(a -> half.delay(a).toMillis()).toList())
                .containsExactly(50L, 100L, 500L);
        Backoff jittered = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.delay(2).toMillis()).isBetween(200L, 400L);
        }
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("0 < initial <= max");
    }

    @Test
    void failedAttemptsWaitLongerEachTimeAndAConnectionThatWorkedStartsOver() {
        connect(b -> {});
        for (int n = 1; n <= 5; n++) {
            server.attempt(n).refuse();
        }
        await().atMost(WAIT).until(() -> states.size() >= 5);
        assertThat(states.stream().limit(5).map(s -> s.retryIn().toMillis()).toList())
                .containsExactly(20L, 40L, 80L, 160L, 160L);
        assertThat(states.stream().limit(5).map(ConnectionStatus::attempt).toList())
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(states.get(0).closeReason()).contains("Connection refused");

        server.accept(6).drop(1006);
        await().atMost(WAIT).until(() -> states.size() >= 7);
        assertThat(states.get(6).retryIn()).as("back to the first delay").isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aSlowConsumerCloseWaitsLongerBeforeTheFirstReconnect() {
        connect(b -> {});
        server.accept(1).drop(4429);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
        assertThat(client.status().retryIn()).isEqualTo(Duration.ofMillis(160));
    }

    @Test
    void aProtocolViolationEndsTheClient() {
        connect(b -> {});
        LiveQuery<Map<String, Object>> todos = client.subscribe(Query.table("public.todos"), none());
        server.accept(1).drop(4400);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED);
        assertThat(client.status().closeCode()).isEqualTo(4400);
        assertThat(todos.status()).isEqualTo(QueryStatus.CLOSED);
        assertThat(server.sockets).hasSize(1);
    }

    @Test
    void anExpiredFixedTokenEndsTheClientButASupplierReconnectsWithAFreshOne() {
        connect(b -> b.token("old"));
        FakeTransport.Socket socket = server.accept(1);
        socket.ready(Map.of());
        socket.drop(4401);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED);
        assertThat(client.status().closeCode()).isEqualTo(4401);
        client.close();

        states.clear();
        server.sockets.clear();
        AtomicInteger issued = new AtomicInteger();
        connect(b -> b.tokenSupplier(() -> "token-" + issued.incrementAndGet()));
        FakeTransport.Socket first = server.accept(1);
        first.ready(Map.of());
        first.drop(4401);
        FakeTransport.Socket second = server.accept(2);
        assertThat(second.received("auth").path("token").asText()).isEqualTo("token-2");
    }

    @Test
    void aTokenRefusedAtConnectIsRetriedWithASupplierAndEndsTheClientWithout() {
        connect(b -> b.token("bad"));
        FakeTransport.Socket socket = server.accept(1);
        JsonNode auth = socket.received("auth");
        socket.push(Map.of(
                "type",
                "error",
                "id",
                auth.path("id").asText(),
                "code",
                "unauthenticated",
                "message",
                "bad signature"));
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED);
        assertThat(client.status().closeCode()).isEqualTo(4401);
        assertThat(client.status().error()).isEqualTo(new ServerError("unauthenticated", "bad signature"));
        assertThat(errors).extracting(ServerError::code).containsExactly("unauthenticated");
        client.close();

        server.sockets.clear();
        AtomicInteger issued = new AtomicInteger();
        connect(b -> b.tokenSupplier(() -> "token-" + issued.incrementAndGet()));
        FakeTransport.Socket first = server.accept(1);
        first.push(Map.of(
                "type",
                "error",
                "id",
                first.received("auth").path("id").asText(),
                "code",
                "unauthenticated",
                "message",
                "no"));
        assertThat(server.accept(2).received("auth").path("token").asText()).isEqualTo("token-2");
    }

    @Test
    void closingInterruptsATokenSupplierStillWaitingAndNeverConnectsWithItsAnswer() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        connect(b -> b.tokenSupplier(() -> {
            asked.countDown();
            try {
                new CountDownLatch(1).await(); // an identity provider that never answers
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return "too late";
        }));
        assertThat(asked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        client.close();
        await().atMost(WAIT).untilTrue(interrupted);
        assertThat(server.sockets).isEmpty();
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void refreshesTheTokenBeforeItExpiresOnTheSameConnection() {
        AtomicInteger issued = new AtomicInteger();
        connect(b -> b.tokenSupplier(() -> "token-" + issued.incrementAndGet()));
        client.subscribe(Query.table("public.todos"), none());
        FakeTransport.Socket socket = server.accept(1);
        long expiresAt = System.currentTimeMillis() + 1000;
        socket.ready(Map.of("expiresAt", expiresAt));
        JsonNode refresh = socket.received(f -> "token-2".equals(f.path("token").asText()), 0);
        assertThat(socket.sentAt.get(socket.sent.indexOf(refresh)))
                .as("sent before the token expired")
                .isLessThan(expiresAt);
        socket.push(Map.of(
                "type",
                "ready",
                "id",
                refresh.path("id").asText(),
                "expiresAt",
                System.currentTimeMillis() + 3_600_000));
        await().atMost(WAIT).until(() -> client.expiresAt() > System.currentTimeMillis() + 60_000);
        assertThat(socket.count("subscribe")).isEqualTo(1);
        assertThat(server.sockets).hasSize(1);
    }

    @Test
    void aQueryRefusedForGoodStaysInErrorAndOneRefusedForNowIsRetriedUnderANewId() {
        connect(b -> {});
        LiveQuery<Map<String, Object>> forbidden = client.subscribe(Query.table("public.secrets"), none());
        LiveQuery<Map<String, Object>> flaky = client.subscribe(Query.table("public.todos"), none());
        FakeTransport.Socket socket = server.accept(1);
        JsonNode a =
                socket.received(f -> "public.secrets".equals(f.path("table").asText()), 0);
        JsonNode b = socket.received(f -> "public.todos".equals(f.path("table").asText()), 0);
        socket.push(Map.of("type", "error", "id", a.path("id").asText(), "code", "forbidden", "message", "no rule"));
        socket.push(Map.of(
                "type", "error", "id", b.path("id").asText(), "code", "internal", "message", "Kafka unavailable"));
        await().atMost(WAIT).until(() -> forbidden.status() == QueryStatus.ERROR);
        assertThat(forbidden.error()).isEqualTo(new ServerError("forbidden", "no rule"));

        JsonNode retry =
                socket.received(f -> "public.todos".equals(f.path("table").asText()), 2);
        assertThat(retry.path("id").asText()).isNotEqualTo(b.path("id").asText());
        socket.push(snapshot(retry, "s"));
        await().atMost(WAIT).until(() -> flaky.status() == QueryStatus.LIVE);
        assertThat(flaky.error()).isNull();
        assertThat(socket.sent.stream()
                        .filter(f -> "public.secrets".equals(f.path("table").asText())))
                .hasSize(1);
    }

    @Test
    void aRowTheRowTypeCannotHoldEndsTheQueryLoudly() {
        record Strict(long id, boolean done) {}
        connect(b -> {});
        LiveQuery<Strict> strict = client.subscribe(Query.table("public.todos"), Strict.class, none());
        FakeTransport.Socket socket = server.accept(1);
        JsonNode sub = socket.received("subscribe");
        socket.push(snapshot(sub, "s", Map.of("id", 1, "done", "not a boolean")));
        await().atMost(WAIT).until(() -> strict.status() == QueryStatus.ERROR);
        assertThat(strict.error().code()).isEqualTo("bad_row");
        assertThat(strict.error().message()).contains("public.todos");
        assertThat(socket.received("unsubscribe").path("id").asText())
                .isEqualTo(sub.path("id").asText());
    }

    @Test
    void aListenerThatThrowsDoesNotStopOtherQueries() {
        connect(b -> {});
        client.subscribe(Query.table("public.a"), new LiveQueryListener<Map<String, Object>>() {
            @Override
            public void onSnapshot(List<Map<String, Object>> rows) {
                throw new IllegalStateException("a bug in the application");
            }
        });
        LiveQuery<Map<String, Object>> b = client.subscribe(Query.table("public.b"), none());
        FakeTransport.Socket socket = server.accept(1);
        socket.push(snapshot(
                socket.received(f -> "public.a".equals(f.path("table").asText()), 0), "s", Map.of("id", 1)));
        socket.push(snapshot(
                socket.received(f -> "public.b".equals(f.path("table").asText()), 0), "s", Map.of("id", 2)));
        await().atMost(WAIT).until(() -> b.status() == QueryStatus.LIVE);
    }

    @Test
    void aSilentConnectionIsGivenUpAndReplaced() {
        connect(b -> b.pingInterval(Duration.ofMillis(30)));
        FakeTransport.Socket socket = server.accept(1);
        socket.received("ping");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
        assertThat(client.status().closeCode()).isEqualTo(1006);
        assertThat(client.status().closeReason()).contains("no frame from the server");
        assertThat(socket.aborted).isTrue();
        server.accept(2);
    }

    @Test
    void unsubscribeNamesTheCurrentSubscriptionAndCloseEndsEverything() {
        connect(b -> {});
        LiveQuery<Map<String, Object>> first = client.subscribe(Query.table("public.todos"), none());
        LiveQuery<Map<String, Object>> second = client.subscribe(Query.table("public.projects"), none());
        FakeTransport.Socket socket = server.accept(1);
        JsonNode sub = socket.received("subscribe");
        first.close();
        assertThat(socket.received("unsubscribe").path("id").asText())
                .isEqualTo(sub.path("id").asText());
        assertThat(first.status()).isEqualTo(QueryStatus.CLOSED);

        client.close();
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(client.status().closeCode()).isEqualTo(1000);
        assertThat(second.status()).isEqualTo(QueryStatus.CLOSED);
        assertThat(socket.closedByClient).isEqualTo(1000);
        assertThat(stateNames()).containsExactly(ConnectionState.READY, ConnectionState.CLOSED);
        assertThatThrownBy(() -> client.subscribe(Query.table("public.todos"), none()))
                .hasMessageContaining("closed");
    }
}
