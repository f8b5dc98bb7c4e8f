package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.SourceConfig;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same code path as a cluster: one ingest process (with the embedded database and broker), two
 * routers splitting two change partitions, two edges. Stopping a router hands its partitions to the
 * other without losing a change.
 */
class ClusterIT {

    @TempDir
    Path dataDir;

    /** The process that runs the embedded PostgreSQL and Kafka (and whichever role the test gives it). */
    private Map<String, String> infrastructure(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_DATA_DIR", dataDir.toString());
        env.put("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0");
        env.put("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put(
                "UNDERCURRENT_RULES_DIR",
                Path.of("..", "rules").toAbsolutePath().normalize().toString());
        env.putAll(extra);
        return env;
    }

    private static Map<String, String> role(ServerNode infra, String secret, Map<String, String> extra) {
        SourceConfig app = infra.config().sources().get("app");
        return RoleEnvironment.of(
                new RoleEnvironment.Infrastructure(
                        infra.config().get(io.undercurrent.server.config.ServerSettings.KAFKA_BOOTSTRAP),
                        app.host(),
                        app.port(),
                        app.database(),
                        app.user(),
                        app.password(),
                        secret,
                        Path.of("..", "rules")),
                extra);
    }

    private static ServerNode start(Map<String, String> env, Role role) throws Exception {
        return ServerNode.start(new ConfigLoader(env).load(null), role, Clock.systemUTC());
    }

    private static String liveUrl(ServerNode edge) {
        return edge.http().address().replace("http://", "ws://") + "/v1/live";
    }

    @Test
    void twoRoutersSplitThePartitionsAndOneStoppingLosesNothing() throws Exception {
        Map<String, String> infraEnv = infrastructure(Map.of("UNDERCURRENT_KAFKA_CHANGE_PARTITIONS", "2"));
        try (ServerNode ingest = start(infraEnv, Role.INGEST)) {
            String secret = ingest.embedded().devSecret();
            DevTokenHandler tokens = new DevTokenHandler(secret, Clock.systemUTC());
            try (ServerNode router1 = start(role(ingest, secret, Map.of("UNDERCURRENT_ROUTER_ID", "r1")), Role.ROUTER);
                    ServerNode router2 =
                            start(role(ingest, secret, Map.of("UNDERCURRENT_ROUTER_ID", "r2")), Role.ROUTER);
                    ServerNode edge1 = start(role(ingest, secret, Map.of("UNDERCURRENT_EDGE_ID", "e1")), Role.EDGE);
                    ServerNode edge2 = start(role(ingest, secret, Map.of("UNDERCURRENT_EDGE_ID", "e2")), Role.EDGE);
                    LiveClient onEdge1 = LiveClient.connect(liveUrl(edge1));
                    LiveClient onEdge2 = LiveClient.connect(liveUrl(edge2));
                    Connection db = database(ingest);
                    Statement st = db.createStatement()) {
                for (LiveClient client : new LiveClient[] {onEdge1, onEdge2}) {
                    client.authenticate(tokens.sign("frank", "user", 600), "a");
                    client.subscribeToTodosOf("frank", "q");
                }
                insert(st, "before", 20);
                awaitTitles(onEdge1, "before", 20);
                awaitTitles(onEdge2, "before", 20);

                router1.close();
                insert(st, "after", 20);
                awaitTitles(onEdge1, "after", 20);
                awaitTitles(onEdge2, "after", 20);
            }
        }
    }

    @Test
    void aSubscriptionMadeBeforeIngestEverRanWaitsForCaptureAndLosesNothing() throws Exception {
        Map<String, String> infraEnv = infrastructure(Map.of());
        try (ServerNode routerAndInfra = start(infraEnv, Role.ROUTER)) {
            String secret = routerAndInfra.embedded().devSecret();
            try (ServerNode edge =
                            start(role(routerAndInfra, secret, Map.of("UNDERCURRENT_EDGE_ID", "e1")), Role.EDGE);
                    LiveClient client = LiveClient.connect(liveUrl(edge));
                    Connection db = database(routerAndInfra);
                    Statement st = db.createStatement()) {
                client.authenticate(new DevTokenHandler(secret, Clock.systemUTC()).sign("gina", "user", 600), "a");
                client.sendSubscribeToTodosOf("gina", "q");
                // No ingest has ever run: there is no replication slot, so no snapshot may be served
                // yet. A row committed now would be in an early snapshot but never streamed after it.
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> health(edge)
                                        .path("edge")
                                        .path("waitingForCapture")
                                        .asInt()
                                == 1);
                assertThat(client.seen())
                        .noneMatch(f -> "snapshot".equals(f.path("type").asText()));
                st.executeUpdate("insert into todos(owner_id, title) values ('gina', 'before-capture')");
                try (ServerNode ingest = start(role(routerAndInfra, secret, Map.of()), Role.INGEST)) {
                    JsonNode snapshot = client.await("snapshot", "q");
                    assertThat(snapshot.toString()).contains("before-capture");
                    st.executeUpdate("insert into todos(owner_id, title) values ('gina', 'after-capture')");
                    client.await(f -> f.toString().contains("after-capture"), Duration.ofSeconds(60));
                }
            }
        }
    }

    private static JsonNode health(ServerNode node) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(node.http().address() + "/health"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static Connection database(ServerNode node) throws Exception {
        SourceConfig app = node.config().sources().get("app");
        return DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
    }

    private static void insert(Statement st, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            // rows spread over both partitions: each key hashes on its own
            st.executeUpdate("insert into todos(owner_id, title) values ('frank', '" + prefix + "-" + i + "')");
        }
    }

    private static void awaitTitles(LiveClient client, String prefix, int count) {
        Set<String> titles = new HashSet<>();
        while (titles.size() < count) {
            JsonNode frame = client.await(f -> f.toString().contains(prefix + "-"), Duration.ofSeconds(120));
            frame.path("changes").forEach(c -> {
                String title = c.path("row").path("title").asText();
                if (title.startsWith(prefix + "-")) {
                    titles.add(title);
                }
            });
        }
        assertThat(titles).hasSize(count);
    }
}
