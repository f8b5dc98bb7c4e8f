package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.server.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default with the sources a team configures: trying Undercurrent on your own MariaDB
 * needs no Kafka cluster. The embedded Kafka serves the configured source beside the demo database's
 * source {@code app}, or alone with {@code embedded.demo-source=false}; names that clash and a
 * configuration left with nothing to capture stop start-up with a message naming the setting.
 */
class EmbeddedWithYourSourcesIT {

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    private Map<String, String> environment(MariaDbSource db, Map<String, String> more) throws Exception {
        Files.writeString(rulesDir.resolve("orders.yaml"), """
                source: shop
                table: app.orders
                read: "row.owner_id == auth.sub"
                """);
        if (!"false".equals(more.get("UNDERCURRENT_EMBEDDED_DEMO_SOURCE"))) {
            Files.copy(Path.of("..", "rules", "todos.yaml"), rulesDir.resolve("todos.yaml"));
        }
        Map<String, String> env = new HashMap<>(db.environment());
        env.put("UNDERCURRENT_RULES_DIR", rulesDir.toString());
        env.putAll(more);
        return env;
    }

    private static MariaDbSource shop() throws Exception {
        MariaDbSource db = MariaDbSource.start();
        db.execute(
                "CREATE TABLE orders (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " item text) ENGINE=InnoDB",
                "INSERT INTO orders (owner_id, item) VALUES ('alice', 'first order'), ('bob', 'bobs order')");
        return db;
    }

    private static LiveClient signedIn(EmbeddedServer server, String sub) throws Exception {
        LiveClient client = LiveClient.connect(server.liveUrl());
        client.sendJson(Map.of("type", "auth", "token", server.token(sub, "user"), "id", "a1"));
        client.await("ready", "a1");
        return client;
    }

    /** Alice's orders from the MariaDB source: the snapshot, then a row inserted afterwards. */
    private static void aliceSeesHerOrdersLive(EmbeddedServer server, MariaDbSource db) throws Exception {
        try (LiveClient alice = signedIn(server, "alice");
                Connection c = db.connect()) {
            alice.sendJson(Map.of("type", "subscribe", "id", "q1", "table", "app.orders"));
            JsonNode snapshot = alice.await("snapshot", "q1");
            assertThat(snapshot.path("rows")).hasSize(1);
            assertThat(snapshot.path("rows").get(0).path("item").asText()).isEqualTo("first order");
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO orders (owner_id, item) VALUES ('alice', 'second order')");
            }
            alice.await(
                    f -> "changes".equals(f.path("type").asText())
                            && f.toString().contains("second order"),
                    Duration.ofSeconds(60));
        }
    }

    @Test
    void aConfiguredSourceIsServedBesideTheDemoDatabase() throws Exception {
        try (MariaDbSource db = shop();
                EmbeddedServer server = EmbeddedServer.start(dataDir, environment(db, Map.of()))) {
            assertThat(server.node.config().sources()).containsOnlyKeys("app", "shop");
            assertThat(server.node.config().defaultSource())
                    .as("the team's only source is what a subscription without 'source' means")
                    .isEqualTo("shop");

            aliceSeesHerOrdersLive(server, db);

            try (LiveClient alice = signedIn(server, "alice")) {
                alice.sendJson(Map.of("type", "subscribe", "id", "q2", "source", "app", "table", "public.todos"));
                assertThat(alice.await("snapshot", "q2").path("rows")).isNotEmpty();
            }
        }
    }

    @Test
    void withoutTheDemoOnlyTheConfiguredSourcesRun() throws Exception {
        try (MariaDbSource db = shop();
                EmbeddedServer server = EmbeddedServer.start(
                        dataDir, environment(db, Map.of("UNDERCURRENT_EMBEDDED_DEMO_SOURCE", "false")))) {
            assertThat(server.node.embedded().hasDemo()).isFalse();
            assertThat(server.node.config().sources()).containsOnlyKeys("shop");

            aliceSeesHerOrdersLive(server, db);

            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.node.http().address() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode())
                    .as("no example app without its database")
                    .isEqualTo(404);
        }
    }

    @Test
    void aSourceNamedLikeTheDemoStopsStartUpNamingTheSetting() {
        Map<String, String> env = Map.of(
                "UNDERCURRENT_SOURCES_APP_HOST", "db.internal",
                "UNDERCURRENT_SOURCES_APP_DATABASE", "app",
                "UNDERCURRENT_SOURCES_APP_USER", "uc",
                "UNDERCURRENT_SOURCES_APP_PASSWORD", "secret");
        assertThatThrownBy(() -> EmbeddedServer.start(dataDir, env).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source 'app' is the name of the embedded demo database")
                .hasMessageContaining("embedded.demo-source=false");
    }

    @Test
    void noDemoAndNoSourceStopsStartUpSayingWhatToConfigure() {
        assertThatThrownBy(() -> EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_EMBEDDED_DEMO_SOURCE", "false"))
                        .close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedded.demo-source is false and no source is configured")
                .hasMessageContaining("UNDERCURRENT_SOURCES_<NAME>_*");
    }
}
