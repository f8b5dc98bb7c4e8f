package io.undercurrent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real server (embedded default in this JVM): real PostgreSQL, Kafka, rules and edge. */
class LiveQueryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A typed row: columns by their SQL names, the timestamp as an Instant, columns not declared ignored. */
    record Todo(
            long id,
            @JsonProperty("owner_id") String ownerId,
            String title,
            boolean done,
            @JsonProperty("created_at") Instant createdAt) {}

    @TempDir
    static Path dataDir;

    static TestServer server;
    static Connection db;

    private final List<UndercurrentClient> clients = new ArrayList<>();
    private final List<ConnectionStatus> states = new CopyOnWriteArrayList<>();
    private final List<ServerError> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        db = server.database();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(UndercurrentClient::close);
    }

    private UndercurrentClient connect(URI uri, Consumer<UndercurrentClient.Builder> options) {
        UndercurrentClient.Builder builder =
                UndercurrentClient.builder(uri).connectionListener(states::add).errorListener(errors::add);
        options.accept(builder);
        UndercurrentClient client = builder.build();
        clients.add(client);
        return client;
    }

    /** A fresh owner per test, so tests sharing the database never see each other's rows. */
    private static String owner() {
        return "java-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Query todosOf(String owner) {
        return Query.table("public.todos")
                .where(Map.of("owner_id", Map.of("eq", owner)))
                .orderBy("id", Query.Order.ASC);
    }

    private static void sql(String statement, Object... params) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    private static List<String> titlesInDatabase(String owner) throws Exception {
        List<String> titles = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("select title from todos where owner_id = ? order by title")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    titles.add(rs.getString(1));
                }
            }
        }
        return titles;
    }

    private static List<String> titles(List<Todo> rows) {
        return rows.stream().map(Todo::title).sorted().toList();
    }

    private static <T> LiveQueryListener<T> none() {
        return new LiveQueryListener<>() {};
    }

    @Test
    void typedRowsFromTheSnapshotThenEveryCommittedChange() throws Exception {
        String me = owner();
        sql("insert into todos(owner_id, title) values (?, 'first')", me);
        UndercurrentClient client = connect(server.live(), b -> b.token(server.token("root", "admin", 3600)));
        List<Change<Todo>> changes = new CopyOnWriteArrayList<>();
        LiveQuery<Todo> todos = client.subscribe(todosOf(me), Todo.class, new LiveQueryListener<>() {
            @Override
            public void onChanges(List<Change<Todo>> batch) {
                changes.addAll(batch);
            }
        });
        await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LIVE);
        assertThat(todos.rows()).singleElement().satisfies(t -> {
            assertThat(t.ownerId()).isEqualTo(me);
            assertThat(t.title()).isEqualTo("first");
            assertThat(t.createdAt()).isBefore(Instant.now().plusSeconds(1));
        });

        sql("insert into todos(owner_id, title) values (?, 'second')", me);
        sql("update todos set title = 'first, renamed', done = true where owner_id = ? and title = 'first'", me);
        sql("delete from todos where owner_id = ? and title = 'second'", me);
        await().atMost(WAIT).until(() -> changes.size() == 3);

        assertThat(changes)
                .extracting(Change::op)
                .containsExactly(Change.Op.ADDED, Change.Op.CHANGED, Change.Op.REMOVED);
        assertThat(changes.get(2).row()).isNull();
        assertThat(changes.get(2).key()).containsOnlyKeys("id");
        assertThat(titles(todos.rows())).isEqualTo(titlesInDatabase(me)).containsExactly("first, renamed");
        assertThat(todos.rows().get(0).done()).isTrue();
        assertThat(todos.position()).isNotNull();
    }

    @Test
    void aDroppedConnectionReconnectsWithGrowingDelaysThenResumesWithExactlyWhatItMissed() throws Exception {
        String me = owner();
        sql("insert into todos(owner_id, title) values (?, 'kept'), (?, 'deleted while away')", me, me);
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            UndercurrentClient client = connect(
                    URI.create("ws://127.0.0.1:" + proxy.port() + "/v1/live"),
                    b -> b.token(server.token("root", "admin", 3600))
                            .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(400))));
            AtomicInteger snapshots = new AtomicInteger();
            AtomicInteger resumes = new AtomicInteger();
            LiveQuery<Todo> todos = client.subscribe(todosOf(me), Todo.class, new LiveQueryListener<>() {
                @Override
                public void onSnapshot(List<Todo> rows) {
                    snapshots.incrementAndGet();
                }

                @Override
                public void onResumed() {
                    resumes.incrementAndGet();
                }
            });
            await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LIVE);

            proxy.refuse(true);
            proxy.drop();
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
            assertThat(todos.status()).isEqualTo(QueryStatus.RECONNECTING);
            assertThat(client.status().closeCode()).isEqualTo(1006);
            sql("insert into todos(owner_id, title) values (?, 'added while away')", me);
            sql("delete from todos where owner_id = ? and title = 'deleted while away'", me);
            await().atMost(WAIT).until(() -> reconnecting().size() >= 4);

            proxy.refuse(false);
            await().atMost(WAIT)
                    .until(() -> client.state() == ConnectionState.READY
                            && todos.status() == QueryStatus.LIVE
                            && resumes.get() == 1
                            && titles(todos.rows()).equals(List.of("added while away", "kept")));
            assertThat(titles(todos.rows())).isEqualTo(titlesInDatabase(me));
            assertThat(snapshots)
                    .as("resumed from its position, not sent a new snapshot")
                    .hasValue(1);

            List<ConnectionStatus> waits = reconnecting();
            long[] bases = {50, 100, 200, 400};
            for (int i = 0; i < bases.length; i++) {
                assertThat(waits.get(i).retryIn().toMillis())
                        .as("attempt %d", i + 1)
                        .isBetween(bases[i] / 2, bases[i]);
                assertThat(waits.get(i).attempt()).isEqualTo(i + 1);
            }
            assertThat(states.get(0).state()).isEqualTo(ConnectionState.READY);
            assertThat(states.get(states.size() - 1).state()).isEqualTo(ConnectionState.READY);

            sql("insert into todos(owner_id, title) values (?, 'after the reconnect')", me);
            await().atMost(WAIT).until(() -> todos.rows().size() == 3);
        }
    }

    private List<ConnectionStatus> reconnecting() {
        return states.stream()
                .filter(s -> s.state() == ConnectionState.RECONNECTING)
                .toList();
    }

    @Test
    void aTokenSupplierKeepsTheConnectionAlivePastTheExpiryOfEveryTokenItGave() throws Exception {
        String me = owner();
        AtomicInteger issued = new AtomicInteger();
        UndercurrentClient client = connect(
                server.live(),
                b -> b.tokenSupplier(() -> {
                    issued.incrementAndGet();
                    return server.token("root", "admin", 2);
                }));
        LiveQuery<Todo> todos = client.subscribe(todosOf(me), Todo.class, none());
        await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LIVE);
        long firstExpiry = client.expiresAt();
        await().atMost(WAIT).until(() -> issued.get() >= 3 && System.currentTimeMillis() > firstExpiry + 200);

        sql("insert into todos(owner_id, title) values (?, 'after the first token expired')", me);
        await().atMost(WAIT).until(() -> todos.rows().size() == 1);
        assertThat(states).extracting(ConnectionStatus::state).containsExactly(ConnectionState.READY);
    }

    @Test
    void aConnectionClosedAtItsTokensExpiryComesBackWithTheSuppliersNextTokenAndItsQueries() throws Exception {
        String me = owner();
        sql("insert into todos(owner_id, title) values (?, 'before')", me);
        AtomicBoolean supplierDown = new AtomicBoolean();
        UndercurrentClient client = connect(
                server.live(),
                b -> b.backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(200)))
                        .tokenSupplier(() -> {
                            if (supplierDown.get()) {
                                throw new IllegalStateException("identity provider unreachable");
                            }
                            return server.token("root", "admin", 3);
                        }));
        LiveQuery<Todo> todos = client.subscribe(todosOf(me), Todo.class, none());
        await().atMost(WAIT).until(() -> todos.status() == QueryStatus.LIVE);

        // No refresh can succeed now, so the server ends the connection at the token's exp.
        supplierDown.set(true);
        await().atMost(WAIT)
                .until(() -> reconnecting().stream()
                        .anyMatch(s -> Integer.valueOf(4401).equals(s.closeCode())));
        assertThat(errors).extracting(ServerError::code).contains("token_supplier", "token_expired");
        assertThat(todos.status()).isEqualTo(QueryStatus.RECONNECTING);
        sql("insert into todos(owner_id, title) values (?, 'while the supplier was down')", me);

        supplierDown.set(false);
        await().atMost(WAIT)
                .until(() -> client.state() == ConnectionState.READY
                        && todos.status() == QueryStatus.LIVE
                        && todos.rows().size() == 2);
        assertThat(titles(todos.rows())).isEqualTo(titlesInDatabase(me));
        assertThat(client.expiresAt()).isGreaterThan(System.currentTimeMillis());
    }

    @Test
    void aFixedTokenThatExpiresEndsTheClientWith4401InsteadOfReconnectingForever() {
        UndercurrentClient client = connect(server.live(), b -> b.token(server.token("root", "admin", 1)));
        LiveQuery<Todo> todos = client.subscribe(todosOf(owner()), Todo.class, none());
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.CLOSED);
        assertThat(client.status().closeCode()).isEqualTo(4401);
        assertThat(todos.status()).isEqualTo(QueryStatus.CLOSED);
        assertThat(errors).extracting(ServerError::code).contains("token_expired");
    }

    @Test
    void aQueryTheRulesForbidIsInErrorAndTheConnectionCarriesOn() {
        UndercurrentClient client = connect(server.live(), b -> b.token(server.token("alice", "user", 3600)));
        LiveQuery<Map<String, Object>> forbidden = client.subscribe(Query.table("public.no_such_table"), none());
        LiveQuery<Map<String, Object>> mine =
                client.subscribe(Query.table("public.todos").where(Map.of("owner_id", Map.of("eq", "alice"))), none());
        await().atMost(WAIT).until(() -> forbidden.status() == QueryStatus.ERROR && mine.status() == QueryStatus.LIVE);
        assertThat(forbidden.error().code()).isEqualTo("forbidden");
        assertThat(mine.rows()).isNotEmpty().allSatisfy(row -> {
            assertThat(row).containsEntry("owner_id", "alice");
            assertThat(row).doesNotContainKey("internal_note");
        });
    }
}
