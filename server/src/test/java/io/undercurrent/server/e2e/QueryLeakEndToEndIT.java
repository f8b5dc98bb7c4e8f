package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No leak through the query itself (guarantee 2), through real PostgreSQL, Kafka and WebSocket: a
 * subscriber cannot learn a hidden field by filtering or ordering by it, and a caller who may not
 * read a table learns nothing of its schema. The rules are a copy of the project's, so one test can
 * edit them: todos are their owner's, and internal_note is for admins only.
 */
class QueryLeakEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "rules"))) {
            for (Path file : files.toList()) {
                Files.copy(file, rulesDir.resolve(file.getFileName()));
            }
        }
        server = EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_RULES_DIR", rulesDir.toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private LiveClient signedIn(String sub, String role) throws Exception {
        LiveClient client = LiveClient.connect(server.liveUrl());
        client.sendJson(Map.of("type", "auth", "token", server.token(sub, role), "id", "a1"));
        client.await("ready", "a1");
        return client;
    }

    private static long insert(Connection db, String owner, String title, String note) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("insert into todos(owner_id, title, internal_note) values ('" + owner
                        + "', '" + title + "', '" + note + "') returning id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static Map<String, Object> subscribe(String id, Object... keysAndValues) {
        Map<String, Object> frame = new java.util.LinkedHashMap<>();
        frame.put("type", "subscribe");
        frame.put("id", id);
        frame.put("table", "public.todos");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            frame.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return frame;
    }

    private static void assertForbiddenNaming(JsonNode error, String column) {
        assertThat(error.path("code").asText()).as("%s", error).isEqualTo("forbidden");
        assertThat(error.path("message").asText())
                .contains("\"" + column + "\"", "filter and order only by fields the subscriber can read");
    }

    private static Predicate<JsonNode> framesFor(String... ids) {
        List<String> list = List.of(ids);
        return f -> list.contains(f.path("id").asText());
    }

    @Test
    void probesOnAHiddenFieldAreRefusedAndTheRowNeverMovesWithIt() throws Exception {
        try (LiveClient alice = signedIn("alice", "user");
                LiveClient admin = signedIn("root", "admin");
                Connection db = server.database()) {
            long id = insert(db, "alice", "probe-e2e", "VIP");

            alice.sendJson(subscribe("eq", "where", Map.of("internal_note", Map.of("eq", "VIP"))));
            assertForbiddenNaming(alice.await("error", "eq"), "internal_note");
            alice.sendJson(subscribe(
                    "gte",
                    "where",
                    Map.of(
                            "owner_id",
                            Map.of("eq", "alice"),
                            "or",
                            List.of(Map.of("internal_note", Map.of("gte", "V")), Map.of("done", Map.of("eq", true))))));
            assertForbiddenNaming(alice.await("error", "gte"), "internal_note");
            alice.sendJson(subscribe("null", "where", Map.of("not", Map.of("internal_note", Map.of("isNull", true)))));
            assertForbiddenNaming(alice.await("error", "null"), "internal_note");
            alice.sendJson(subscribe("order", "orderBy", List.of(List.of("internal_note", "desc")), "limit", 1));
            assertForbiddenNaming(alice.await("error", "order"), "internal_note");

            // Naming it among the fields is fine: it is just left out of the rows.
            alice.sendJson(subscribe(
                    "mine",
                    "where",
                    Map.of("owner_id", Map.of("eq", "alice")),
                    "fields",
                    List.of("title", "internal_note")));
            JsonNode mine = alice.await("snapshot", "mine");
            assertThat(mine.toString()).contains("probe-e2e");
            mine.path("rows")
                    .forEach(row ->
                            assertThat(row.has("internal_note")).as("%s", row).isFalse());

            // An admin may still filter on it, and sees the row leave when the note changes.
            admin.sendJson(subscribe("vip", "where", Map.of("internal_note", Map.of("eq", "VIP"))));
            JsonNode vip = admin.await("snapshot", "vip");
            assertThat(vip.toString()).contains("probe-e2e");
            update(db, "update todos set internal_note = 'ordinary' where id = " + id);
            JsonNode left = admin.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "vip".equals(f.path("id").asText()),
                    WAIT);
            assertThat(left.path("changes").get(0).path("op").asText()).isEqualTo("removed");

            // The stream: after the admin's edit of the hidden note, and a later visible edit of the same
            // row (per-row order), alice has heard of the row only through her plain subscription.
            update(db, "update todos set internal_note = 'VIP' where id = " + id);
            update(db, "update todos set title = 'probe-e2e-2' where id = " + id);
            alice.await(
                    f -> "changes".equals(f.path("type").asText())
                            && f.toString().contains("probe-e2e-2"),
                    WAIT);
            assertThat(alice.seen())
                    .filteredOn(framesFor("eq", "gte", "null", "order"))
                    .allMatch(f -> "error".equals(f.path("type").asText()));
            assertThat(alice.seen())
                    .noneMatch(f -> f.toString().contains("VIP") || f.toString().contains("ordinary"));
        }
    }

    @Test
    void aSubscriptionWhoseSubscriberCanNoLongerSeeItsFilterColumnEndsForbidden() throws Exception {
        try (LiveClient carol = signedIn("carol", "admin");
                Connection db = server.database()) {
            long id = insert(db, "carol", "refresh-e2e", "secret-before");
            carol.sendJson(subscribe("notes", "where", Map.of("internal_note", Map.of("eq", "secret-after"))));
            carol.await("snapshot", "notes");
            carol.sendJson(subscribe("plain", "where", Map.of("owner_id", Map.of("eq", "carol"))));
            carol.await("snapshot", "plain");

            // The same person, no longer an admin: the filter would now probe a field hidden from her.
            carol.sendJson(Map.of("type", "auth", "token", server.token("carol", "user"), "id", "a2"));
            carol.await("ready", "a2");
            assertForbiddenNaming(carol.await("error", "notes"), "internal_note");
            carol.await("snapshot", "plain");

            update(db, "update todos set internal_note = 'secret-after' where id = " + id);
            update(db, "update todos set title = 'refresh-e2e-2' where id = " + id);
            carol.await(
                    f -> "changes".equals(f.path("type").asText())
                            && f.toString().contains("refresh-e2e-2"),
                    WAIT);
            assertThat(carol.seen().stream()
                            .filter(framesFor("notes"))
                            .map(f -> f.path("type").asText())
                            .toList())
                    .as("no reset, no snapshot under the new identity, no changes")
                    .containsExactly("snapshot", "error");
        }
    }

    @Test
    void aRuleThatStartsHidingAFilterColumnEndsTheSubscriptionForbidden() throws Exception {
        try (LiveClient dave = signedIn("dave", "user");
                Connection db = server.database()) {
            insert(db, "dave", "reload-e2e", "n");
            dave.sendJson(subscribe("titled", "where", Map.of("title", Map.of("eq", "reload-e2e"))));
            assertThat(dave.await("snapshot", "titled").toString()).contains("reload-e2e");

            Path todos = rulesDir.resolve("todos.yaml");
            String rules = Files.readString(todos);
            try {
                Files.writeString(todos, rules + "  title: \"auth.role == 'admin'\"\n");
                JsonNode error = dave.await(
                        f -> "titled".equals(f.path("id").asText())
                                && "error".equals(f.path("type").asText()),
                        WAIT);
                assertForbiddenNaming(error, "title");
            } finally {
                Files.writeString(todos, rules);
            }
            // Wait until the restored rules are live, so that no later test sees this reload.
            int[] attempt = {0};
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
                String id = "retry" + attempt[0]++;
                dave.sendJson(subscribe(id, "where", Map.of("title", Map.of("eq", "reload-e2e"))));
                JsonNode answer = dave.await(f -> id.equals(f.path("id").asText()), WAIT);
                return "snapshot".equals(answer.path("type").asText());
            });
        }
    }

    @Test
    void aCallerWhoMayNotReadATableLearnsNothingOfItsSchema() throws Exception {
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.execute("create table if not exists secrets(id bigint primary key, ssn text, salary numeric)");
        }
        try (LiveClient alice = signedIn("alice", "user");
                LiveClient anonymous = LiveClient.connect(server.liveUrl())) {
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "s1",
                    "table",
                    "public.secrets",
                    "where",
                    Map.of("nope", Map.of("eq", 1))));
            JsonNode noRule = alice.await("error", "s1");
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "s2",
                    "table",
                    "public.no_such_table",
                    "where",
                    Map.of("nope", Map.of("eq", 1))));
            JsonNode noTable = alice.await("error", "s2");
            alice.sendJson(Map.of("type", "subscribe", "id", "s3", "table", "secrets", "orderBy", List.of("nope")));
            JsonNode unqualified = alice.await("error", "s3");
            for (JsonNode error : List.of(noRule, noTable, unqualified)) {
                assertThat(error.path("code").asText()).as("%s", error).isEqualTo("forbidden");
                assertThat(error.path("message").asText())
                        .doesNotContain("ssn", "salary", "columns", "not found", "nope");
            }
            assertThat(noTable.path("message").asText().replace("no_such_table", "secrets"))
                    .as("a missing table and an unreadable one get the same answer")
                    .isEqualTo(noRule.path("message").asText());

            // Anonymous callers can read neither table: auth != null && ..., and owner == auth.sub.
            for (String table : List.of("public.projects", "public.todos")) {
                anonymous.sendJson(Map.of(
                        "type", "subscribe", "id", table, "table", table, "where", Map.of("nope", Map.of("eq", 1))));
                JsonNode error = anonymous.await("error", table);
                assertThat(error.path("code").asText()).as("%s", error).isEqualTo("forbidden");
                assertThat(error.path("message").asText()).doesNotContain("visibility", "owner_id", "columns", "nope");
            }

            // A caller who may read the table is told what is wrong with the query.
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "ok",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("nope", Map.of("eq", 1))));
            JsonNode invalid = alice.await("error", "ok");
            assertThat(invalid.path("code").asText()).isEqualTo("invalid_query");
            assertThat(invalid.path("message").asText()).contains("nope", "title");
        }
    }
}
