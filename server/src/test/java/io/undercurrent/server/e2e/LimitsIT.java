package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits that keep one client from hurting the node, end to end through real components: an
 * initial result too large for a connection's send buffer, queries the routers could not serve, and
 * a connection flood at the cap, after which the whole pipeline still serves live queries.
 */
class LimitsIT {

    private static final int MAX_CONNECTIONS = 24;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(
                dataDir,
                Map.of(
                        "UNDERCURRENT_EDGE_MAX_PENDING_BYTES",
                        "256KiB",
                        "UNDERCURRENT_HTTP_MAX_CONNECTIONS",
                        String.valueOf(MAX_CONNECTIONS)));
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

    private static void insertBulk(String owner, int rows, int titleBytes) throws Exception {
        try (Connection db = server.database();
                PreparedStatement st = db.prepareStatement("insert into todos(owner_id, title) values (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                st.setString(1, owner);
                st.setString(2, i + ":" + "x".repeat(titleBytes));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    @Test
    void anInitialResultLargerThanTheSendBufferIsRefusedUpFrontAndTheConnectionStaysOpen() throws Exception {
        insertBulk("bulk", 100, 8 * 1024); // about 800 KiB of rows, against a 256 KiB send buffer
        try (LiveClient admin = signedIn("root", "admin")) {
            admin.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "all",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("owner_id", Map.of("eq", "bulk"))));
            JsonNode error = admin.await(
                    f -> "error".equals(f.path("type").asText())
                            || "snapshot".equals(f.path("type").asText()),
                    PROMPTLY);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("id").asText()).isEqualTo("all");
            assertThat(error.path("code").asText()).isEqualTo("limit_exceeded");
            assertThat(error.path("message").asText())
                    .contains("larger than 262144 bytes")
                    .contains("set a smaller limit");

            admin.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "some",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("owner_id", Map.of("eq", "bulk")),
                    "orderBy",
                    List.of(List.of("id", "asc")),
                    "limit",
                    20));
            JsonNode snapshot = admin.await("snapshot", "some");
            assertThat(snapshot.path("rows")).hasSize(20);
            admin.sendJson(Map.of("type", "ping", "id", "p"));
            admin.await("pong", "p");
        }
    }

    @Test
    void queriesNoRouterCouldServeAreInvalidAtOnceAndNumbersPast64BitsAreServed() throws Exception {
        try (LiveClient alice = signedIn("alice", "user")) {
            long started = System.nanoTime();
            alice.send(
                    "{\"type\":\"subscribe\",\"id\":\"huge\",\"table\":\"public.todos\",\"where\":{\"id\":{\"eq\":1e999999999}}}");
            JsonNode huge = alice.await("error", "huge");
            assertThat(huge.path("code").asText()).isEqualTo("invalid_query");
            assertThat(huge.path("message").asText()).startsWith("where.id.eq: number has too many digits");

            alice.send(
                    "{\"type\":\"subscribe\",\"id\":\"late\",\"table\":\"public.todos\",\"where\":{\"created_at\":{\"gt\":\"294277-01-01T00:00:00Z\"}}}");
            assertThat(alice.await("error", "late").path("code").asText()).isEqualTo("invalid_query");
            assertThat(System.nanoTime() - started)
                    .as("refused at the edge, not after routers time out")
                    .isLessThan(PROMPTLY.toNanos());

            // Once accepted by the edge and refused by every router (the client waited 45 s for 'internal').
            alice.send(
                    "{\"type\":\"subscribe\",\"id\":\"far\",\"table\":\"public.todos\",\"where\":{\"id\":{\"lt\":1e400}},\"fields\":[\"title\"]}");
            JsonNode far = alice.await(f -> "far".equals(f.path("id").asText()), PROMPTLY);
            assertThat(far.path("type").asText()).as("%s", far).isEqualTo("snapshot");
            assertThat(far.path("rows")).isNotEmpty();
            alice.send(
                    "{\"type\":\"subscribe\",\"id\":\"wide\",\"table\":\"public.todos\",\"where\":{\"id\":{\"gt\":-99999999999999999999}}}");
            JsonNode wide = alice.await(f -> "wide".equals(f.path("id").asText()), PROMPTLY);
            assertThat(wide.path("type").asText()).as("%s", wide).isEqualTo("snapshot");
        }
    }

    @Test
    void aConnectionFloodStopsAtTheCapAndTheNodeKeepsServing() throws Exception {
        List<LiveClient> flood = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < MAX_CONNECTIONS + 8; i++) {
                try {
                    flood.add(LiveClient.connect(server.liveUrl()));
                } catch (RuntimeException closedAtOnce) {
                    refused++;
                }
            }
            assertThat(refused)
                    .as("connections beyond http.max-connections are closed as they are accepted")
                    .isGreaterThanOrEqualTo(8);
            assertThat(server.node.healthy())
                    .as("Kafka, rules, ingest, router and edge are unharmed")
                    .isTrue();
        } finally {
            flood.forEach(LiveClient::close);
        }
        AtomicReference<LiveClient> bob = new AtomicReference<>();
        await().atMost(PROMPTLY).ignoreExceptions().until(() -> {
            bob.set(signedIn("bob", "user")); // fails while the flood's connections are being released
            return true;
        });
        try (LiveClient client = bob.get();
                Connection db = server.database()) {
            client.sendJson(Map.of(
                    "type",
                    "subscribe",
                    "id",
                    "mine",
                    "table",
                    "public.todos",
                    "where",
                    Map.of("owner_id", Map.of("eq", "bob"))));
            client.await("snapshot", "mine");
            try (PreparedStatement st =
                    db.prepareStatement("insert into todos(owner_id, title) values ('bob', 'after the flood')")) {
                st.executeUpdate();
            }
            client.await(f -> f.toString().contains("after the flood"), Duration.ofSeconds(30));
        }
    }
}
