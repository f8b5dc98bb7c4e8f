package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees that need concurrent writers: the initial result is stitched to the stream with no gap,
 * duplicate or regression, every client converges to what the database holds, and an edited rule
 * resets live queries while a broken edit changes nothing. With rules that look other tables up
 * ({@code rules/messages.yaml}), a subscriber added to and removed from groups while messages are
 * written converges too; the message versions it was sent that were never readable by it are
 * counted and printed (not yet zero, see rules-engine/README.md, "What is not exact yet").
 */
class ConvergenceIT {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        for (String file : List.of("todos.yaml", "projects.yaml", "messages.yaml")) {
            Files.copy(Path.of("..", "rules", file), rulesDir.resolve(file));
        }
        server = EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_RULES_DIR", rulesDir.toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A client-side materialisation that fails on any operation the protocol would never send. */
    private static final class Materialised {
        /** The column whose text is {@code v<version>}. */
        final String column;

        final Map<Long, Long> versions = new HashMap<>();
        final Map<Long, String> rows = new HashMap<>();
        final List<String> violations = new ArrayList<>();

        Materialised() {
            this("title");
        }

        Materialised(String column) {
            this.column = column;
        }

        void snapshot(JsonNode frame) {
            versions.clear();
            rows.clear();
            frame.path("rows").forEach(r -> {
                versions.put(r.path("id").asLong(), version(r));
                rows.put(r.path("id").asLong(), r.toString());
            });
        }

        void changes(JsonNode frame) {
            for (JsonNode c : frame.path("changes")) {
                long id = c.path("key").path("id").asLong();
                String op = c.path("op").asText();
                Long held = versions.get(id);
                switch (op) {
                    case "added" -> {
                        if (held != null) {
                            violations.add("added a row already held: " + c);
                        }
                        versions.put(id, version(c.path("row")));
                        rows.put(id, c.path("row").toString());
                    }
                    case "changed" -> {
                        if (held == null) {
                            violations.add("changed a row not held: " + c);
                        } else if (version(c.path("row")) < held) {
                            violations.add("regressed from v" + held + ": " + c);
                        } else if (c.path("row").toString().equals(rows.get(id))) {
                            violations.add("the same change twice: " + c);
                        }
                        versions.put(id, version(c.path("row")));
                        rows.put(id, c.path("row").toString());
                    }
                    case "removed" -> {
                        if (held == null) {
                            violations.add("removed a row not held: " + c);
                        }
                        versions.remove(id);
                        rows.remove(id);
                    }
                    default -> violations.add("unknown op " + op);
                }
            }
        }

        private long version(JsonNode row) {
            return Long.parseLong(row.path(column).asText().substring(1));
        }
    }

    private static Map<Long, Long> databaseState(Connection db) throws Exception {
        Map<Long, Long> state = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs =
                        st.executeQuery("select id, title from todos where owner_id = 'carol' and title like 'v%'")) {
            while (rs.next()) {
                state.put(rs.getLong(1), Long.parseLong(rs.getString(2).substring(1)));
            }
        }
        return state;
    }

    @Test
    void clientsSubscribingDuringWritesGetNoGapNoDuplicateNoRegressionAndConverge() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(writing), "writer");
        List<LiveClient> clients = new ArrayList<>();
        List<Materialised> views = new ArrayList<>();
        try (Connection db = server.database()) {
            writer.start();
            for (int i = 0; i < 4; i++) {
                LiveClient client = LiveClient.connect(server.liveUrl());
                client.sendJson(Map.of("type", "auth", "token", server.token("carol", "user"), "id", "a"));
                client.await("ready", "a");
                client.sendJson(Map.of(
                        "type",
                        "subscribe",
                        "id",
                        "q",
                        "table",
                        "public.todos",
                        "where",
                        Map.of("title", Map.of("gte", "v"))));
                Materialised view = new Materialised();
                view.snapshot(client.await("snapshot", "q"));
                clients.add(client);
                views.add(view);
                // let the writer move on between subscriptions, so each snapshot lands mid-stream
                long seen = counter;
                await().atMost(Duration.ofSeconds(10)).until(() -> counter > seen + 40);
            }
            writing.set(false);
            writer.join(30_000);
            assertThat(writerError).isNull();
            Map<Long, Long> expected = databaseState(db);
            assertThat(expected).isNotEmpty();
            for (int i = 0; i < clients.size(); i++) {
                LiveClient client = clients.get(i);
                Materialised view = views.get(i);
                String name = "client " + i;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    drain(client, view);
                    assertThat(view.versions).as(name).isEqualTo(expected);
                });
                assertThat(view.violations).as(name).isEmpty();
            }
        } finally {
            writing.set(false);
            clients.forEach(LiveClient::close);
        }
    }

    @Test
    void membershipChangesDuringWritesMoveMessagesInAndOutAndEveryClientConverges() throws Exception {
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            // The embedded default seeds the group chat example's tables (examples/chat-web): start
            // from none of their rows, with the looked-up table loaded and empty.
            st.execute("delete from messages");
            st.execute("delete from memberships");
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.health()
                        .path("lookups")
                        .path("tables")
                        .path("app/public.memberships")
                        .asText()
                        .startsWith("ready, 0 rows"));
        ChatHistory history = new ChatHistory("carol", 3);
        AtomicBoolean writing = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        Throwable[] failed = {null};
        Thread writer = new Thread(
                () -> {
                    try (Connection db = server.database();
                            Statement st = db.createStatement()) {
                        while (writing.get()) {
                            steps.set(history.step(st));
                        }
                    } catch (Throwable e) {
                        failed[0] = e;
                    }
                },
                "chat-writer");
        List<LiveClient> clients = new ArrayList<>();
        List<Materialised> views = new ArrayList<>();
        List<Long> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Connection db = server.database()) {
            writer.start();
            for (int i = 0; i < 3; i++) {
                LiveClient client = LiveClient.connect(server.liveUrl());
                client.sendJson(Map.of("type", "auth", "token", server.token("carol", "user"), "id", "a"));
                client.await("ready", "a");
                client.sendJson(Map.of("type", "subscribe", "id", "m", "table", "public.messages"));
                Materialised view = new Materialised("body");
                JsonNode snapshot = client.await("snapshot", "m");
                view.snapshot(snapshot);
                snapshot.path("rows").forEach(r -> received.add(view.version(r)));
                clients.add(client);
                views.add(view);
                long seen = steps.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> steps.get() > seen + 600);
            }
            writing.set(false);
            writer.join(30_000);
            assertThat(failed[0]).isNull();
            Map<Long, Long> expected = ChatHistory.readable(db, "carol");
            for (int i = 0; i < clients.size(); i++) {
                LiveClient client = clients.get(i);
                Materialised view = views.get(i);
                String name = "client " + i;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    drain(client, view, received);
                    assertThat(view.versions).as(name).isEqualTo(expected);
                });
                assertThat(view.violations).as(name).isEmpty();
            }
            List<Long> leaked = received.stream()
                    .filter(version -> !history.couldBeReadable(version))
                    .distinct()
                    .toList();
            System.out.println("lookup convergence: " + received.size() + " versions received, "
                    + history.membershipChanges() + " membership changes, " + leaked.size()
                    + " never readable by carol: " + leaked);
            assertThat(history.membershipChanges()).isGreaterThan(5);
            // Not yet asserted empty: a read judged while ingest lags can use memberships older than it
            // (rules-engine/README.md, "What is not exact yet"); every such row is removed again, which
            // the convergence above checks. Printed so a change that closes the gap can be measured.
            leaked.stream()
                    .limit(6)
                    .forEach(v -> System.out.println(
                            "  " + history.explain(v) + " arrived " + ARRIVALS.getOrDefault(v, "in a snapshot")));
        } finally {
            writing.set(false);
            clients.forEach(LiveClient::close);
        }
    }

    /** How each version first arrived, to tell a router's delta from a re-read's difference. */
    private static final Map<Long, String> ARRIVALS = new java.util.concurrent.ConcurrentHashMap<>();

    /** As {@link #drain(LiveClient, Materialised)}, noting every version received. */
    private static void drain(LiveClient client, Materialised view, List<Long> received) {
        JsonNode frame;
        while ((frame = client.poll()) != null) {
            if ("changes".equals(frame.path("type").asText())) {
                view.changes(frame);
                int size = frame.path("changes").size();
                frame.path("changes").forEach(c -> {
                    if (c.has("row")) {
                        received.add(view.version(c.path("row")));
                        ARRIVALS.putIfAbsent(
                                view.version(c.path("row")), c.path("op").asText() + " in a frame of " + size);
                    }
                });
            } else if ("snapshot".equals(frame.path("type").asText())
                    || "reset".equals(frame.path("type").asText())
                    || "error".equals(frame.path("type").asText())) {
                view.violations.add("unexpected " + frame);
            }
        }
    }

    private static void drain(LiveClient client, Materialised view) {
        JsonNode frame;
        while ((frame = client.poll()) != null) {
            if ("changes".equals(frame.path("type").asText())) {
                view.changes(frame);
            } else if ("snapshot".equals(frame.path("type").asText())
                    || "reset".equals(frame.path("type").asText())) {
                view.violations.add("unexpected " + frame);
            }
        }
    }

    private static volatile long counter;
    private static volatile Throwable writerError;

    /** Inserts, updates (with a growing version in the title) and deletes carol's rows, in small transactions. */
    private static void write(AtomicBoolean writing) {
        Random random = new Random(42);
        List<Long> ids = new ArrayList<>();
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            while (writing.get()) {
                long version = ++counter;
                int choice = ids.size() < 5 ? 0 : random.nextInt(10);
                if (choice < 4) {
                    try (ResultSet rs = st.executeQuery(
                            "insert into todos(owner_id, title) values ('carol', 'v" + version + "') returning id")) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                } else if (choice < 9) {
                    long id = ids.get(random.nextInt(ids.size()));
                    db.setAutoCommit(false);
                    st.executeUpdate("update todos set title = 'v" + version + "' where id = " + id);
                    st.executeUpdate("update todos set done = not done where id = " + id);
                    db.commit();
                    db.setAutoCommit(true);
                } else {
                    long id = ids.remove(random.nextInt(ids.size()));
                    st.executeUpdate("delete from todos where id = " + id);
                }
            }
        } catch (Throwable e) {
            writerError = e;
        }
    }

    @Test
    void anEditedRuleResetsLiveQueriesAndABrokenEditChangesNothing() throws Exception {
        try (LiveClient bob = LiveClient.connect(server.liveUrl());
                Connection db = server.database()) {
            bob.sendJson(Map.of("type", "auth", "token", server.token("bob", "user"), "id", "a"));
            bob.await("ready", "a");
            bob.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "p",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("owner_id", Map.of("eq", "alice"))));
            assertThat(bob.await("snapshot", "p").path("rows"))
                    .as("alice's todos are private")
                    .isEmpty();

            Path rule = rulesDir.resolve("todos.yaml");
            String original = Files.readString(rule);
            Files.writeString(rule, original.replace("row.owner_id == auth.sub || auth.role == 'admin'", "true"));

            JsonNode reset = bob.await("reset", "p");
            assertThat(reset.path("reason").asText()).contains("rules");
            JsonNode fresh = bob.await("snapshot", "p");
            assertThat(fresh.path("rows"))
                    .as("the new rule lets everyone read todos")
                    .isNotEmpty();
            fresh.path("rows").forEach(r -> assertThat(r.has("internal_note")).isFalse());

            Files.writeString(rule, "table: public.todos\nread: \"new java.io.File('/')\"\n");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.health()
                            .path("rules")
                            .path("outcome")
                            .asText()
                            .equals("rejected"));
            assertThat(server.health().path("rules").path("problems").toString())
                    .contains("todos.yaml:2");
            try (Statement st = db.createStatement()) {
                st.executeUpdate("insert into todos(owner_id, title) values ('alice', 'still-visible-after-bad-edit')");
            }
            JsonNode change =
                    bob.await(f -> f.toString().contains("still-visible-after-bad-edit"), Duration.ofSeconds(30));
            assertThat(change.path("type").asText()).isEqualTo("changes");
            assertThat(bob.seen())
                    .filteredOn(f -> "reset".equals(f.path("type").asText()))
                    .hasSize(1);
            Files.writeString(rule, original);
        }
    }
}
