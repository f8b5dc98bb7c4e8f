package io.undercurrent.server.e2e;

import static io.undercurrent.server.e2e.LiveClient.mentions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through real components: embedded PostgreSQL, Debezium ingest, an in-process Kafka
 * broker, the router, the rules in ./rules and the WebSocket edge, driven by a real WebSocket client.
 */
class LiveQueryEndToEndIT {

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(dataDir, Map.of());
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

    private static long insert(Connection db, String owner, String title) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("insert into todos(owner_id, title, internal_note) values ('" + owner
                        + "', '" + title + "', 'note for " + title + "') returning id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void ownerSeesOnlyReadableRowsWithoutMaskedFieldsAndLosesARowWhoseOwnerChanges() throws Exception {
        try (LiveClient alice = signedIn("alice", "user");
                Connection db = server.database()) {
            alice.sendJson(Map.of("type", "subscribe", "id", "q1", "table", "public.todos"));
            JsonNode snapshot = alice.await("snapshot", "q1");
            assertThat(snapshot.path("keyColumns").toString()).isEqualTo("[\"id\"]");
            assertThat(snapshot.path("rows")).isNotEmpty();
            for (JsonNode row : snapshot.path("rows")) {
                assertThat(row.path("owner_id").asText()).isEqualTo("alice");
                assertThat(row.has("internal_note"))
                        .as("masked field in %s", row)
                        .isFalse();
            }

            long bobs = insert(db, "bob", "bob-secret-e2e");
            long alices = insert(db, "alice", "alice-new-e2e");

            JsonNode added = alice.await(
                    f -> "changes".equals(f.path("type").asText()) && mentions(f, "alice-new-e2e"),
                    Duration.ofSeconds(30));
            JsonNode change = added.path("changes").get(0);
            assertThat(change.path("op").asText()).isEqualTo("added");
            assertThat(change.path("key").path("id").asLong()).isEqualTo(alices);
            assertThat(change.path("row").has("internal_note")).isFalse();
            assertThat(added.path("committedAt").asLong()).isPositive();
            // Bob's row was committed first, on the same partition: had it been sent, it would be here already.
            assertThat(alice.seen())
                    .noneMatch(f -> mentions(f, "bob-secret-e2e") || mentions(f, "\"id\":" + bobs + "}"));

            try (Statement st = db.createStatement()) {
                st.executeUpdate("update todos set owner_id = 'bob', title = 'now-bobs-e2e' where id = " + alices);
            }
            JsonNode removed = alice.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "removed"
                                    .equals(f.path("changes").get(0).path("op").asText()),
                    Duration.ofSeconds(30));
            assertThat(removed.path("changes").get(0).path("key").path("id").asLong())
                    .isEqualTo(alices);
            assertThat(removed.path("changes").get(0).has("row"))
                    .as("removed carries the key only")
                    .isFalse();
            assertThat(alice.seen()).noneMatch(f -> mentions(f, "now-bobs-e2e"));
        }
    }

    @Test
    void adminSeesMaskedFieldsAndDeletes() throws Exception {
        try (LiveClient admin = signedIn("root", "admin");
                Connection db = server.database()) {
            admin.sendJson(Map.of("type", "subscribe", "id", "all", "table", "public.todos"));
            JsonNode snapshot = admin.await("snapshot", "all");
            Set<String> owners = new HashSet<>();
            snapshot.path("rows").forEach(r -> owners.add(r.path("owner_id").asText()));
            assertThat(owners).contains("alice", "bob");
            assertThat(snapshot.path("rows").get(0).has("internal_note")).isTrue();

            long id = insert(db, "carol", "carol-e2e");
            JsonNode added = admin.await(f -> mentions(f, "carol-e2e"), Duration.ofSeconds(30));
            assertThat(added.path("changes")
                            .get(0)
                            .path("row")
                            .path("internal_note")
                            .asText())
                    .isEqualTo("note for carol-e2e");

            try (Statement st = db.createStatement()) {
                st.executeUpdate("delete from todos where id = " + id);
            }
            JsonNode removed = admin.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "removed"
                                    .equals(f.path("changes").get(0).path("op").asText())
                            && f.path("changes").get(0).path("key").path("id").asLong() == id,
                    Duration.ofSeconds(30));
            assertThat(removed).isNotNull();
        }
    }

    @Test
    void aRowThatStopsMatchingTheFilterIsRemoved() throws Exception {
        try (LiveClient alice = signedIn("alice", "user");
                Connection db = server.database()) {
            long id = insert(db, "alice", "filter-e2e");
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "open",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("done", Map.of("eq", false), "owner_id", Map.of("eq", "alice")),
                    "fields",
                    new String[] {"title"}));
            JsonNode snapshot = alice.await("snapshot", "open");
            assertThat(snapshot.toString()).contains("filter-e2e");
            for (JsonNode row : snapshot.path("rows")) {
                assertThat(row.has("done"))
                        .as("fields selects title (and the key)")
                        .isFalse();
                assertThat(row.has("id")).isTrue();
            }
            try (Statement st = db.createStatement()) {
                st.executeUpdate("update todos set done = true where id = " + id);
            }
            JsonNode removed = alice.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "open".equals(f.path("id").asText()),
                    Duration.ofSeconds(30));
            assertThat(removed.path("changes").get(0).path("op").asText()).isEqualTo("removed");
            assertThat(removed.path("changes").get(0).path("key").path("id").asLong())
                    .isEqualTo(id);
        }
    }

    @Test
    void aLimitedQueryKeepsItsWindow() throws Exception {
        try (LiveClient alice = signedIn("alice", "user");
                Connection db = server.database()) {
            alice.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "latest",
                    "table",
                    "public.todos",
                    "fields",
                    new String[] {"title"},
                    "orderBy",
                    new Object[] {new String[] {"id", "desc"}},
                    "limit",
                    2));
            JsonNode snapshot = alice.await("snapshot", "latest");
            assertThat(snapshot.path("rows")).hasSizeLessThanOrEqualTo(2);
            long first = insert(db, "alice", "window-1");
            long second = insert(db, "alice", "window-2");
            long third = insert(db, "alice", "window-3");
            Map<Long, String> held = new java.util.HashMap<>();
            snapshot.path("rows")
                    .forEach(
                            r -> held.put(r.path("id").asLong(), r.path("title").asText()));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode frame;
                while ((frame = alice.poll()) != null) {
                    for (JsonNode c : frame.path("changes")) {
                        long id = c.path("key").path("id").asLong();
                        if ("removed".equals(c.path("op").asText())) {
                            held.remove(id);
                        } else {
                            held.put(id, c.path("row").path("title").asText());
                        }
                    }
                }
                assertThat(held).containsOnlyKeys(third, second);
            });
            assertThat(held).doesNotContainKey(first);
        }
    }

    @Test
    void badRequestsGetErrorFramesAndTheConnectionStaysOpen() throws Exception {
        try (LiveClient client = signedIn("alice", "user");
                Connection db = server.database()) {
            client.send("{not json");
            assertThat(client.await("error", null).path("code").asText()).isEqualTo("bad_request");

            client.sendJson(Map.of("type", "subscribe", "id", "x1", "table", "public.nope"));
            // No rule covers it: forbidden, which does not reveal whether the table exists.
            assertThat(client.await("error", "x1").path("code").asText()).isEqualTo("forbidden");

            client.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "x2",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("nope", Map.of("eq", 1))));
            JsonNode invalid = client.await("error", "x2");
            assertThat(invalid.path("code").asText()).isEqualTo("invalid_query");
            assertThat(invalid.path("message").asText()).contains("nope");

            try (Statement st = db.createStatement()) {
                st.execute("create table if not exists secrets(id bigint primary key, v text)");
            }
            client.sendJson(Map.of("type", "subscribe", "id", "x3", "table", "public.secrets"));
            assertThat(client.await("error", "x3").path("code").asText()).isEqualTo("forbidden");

            client.sendJson(Map.of("type", "auth", "token", "not-a-jwt", "id", "bad"));
            assertThat(client.await("error", "bad").path("code").asText()).isEqualTo("unauthenticated");

            client.sendJson(Map.of("type", "ping", "id", "p"));
            client.await("pong", "p");
            assertThat(client.seen())
                    .noneMatch(f ->
                            f.toString().contains("Exception") || f.toString().contains("\tat "));
        }
    }

    @Test
    void theEmbeddedDefaultMintsDevelopmentTokensAndListensOnThisMachineOnly() throws Exception {
        URI address = URI.create(server.node.http().address());
        assertThat(InetAddress.getByName(address.getHost()).isLoopbackAddress())
                .as(address.toString())
                .isTrue();
        HttpResponse<String> minted = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(address.resolve("/dev/token?sub=dora&role=user"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).isEqualTo(200);
        try (LiveClient dora = LiveClient.connect(server.liveUrl())) {
            dora.sendJson(Map.of(
                    "type",
                    "auth",
                    "token",
                    new ObjectMapper().readTree(minted.body()).path("token").asText(),
                    "id",
                    "a"));
            dora.await("ready", "a");
        }
        String network = ThisMachine.networkAddress();
        if (network != null) {
            assertThatThrownBy(() -> new Socket(network, address.getPort()).close())
                    .as("reachable at %s", network)
                    .isInstanceOf(ConnectException.class);
        }
    }
}
