package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over the embedded PostgreSQL's demo {@code public.todos}, and the rules'
 * guarantees: an edited rule resets live queries while a broken edit changes nothing.
 */
class ConvergenceIT extends ConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        for (String file : List.of("todos.yaml", "projects.yaml")) {
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

    @Override
    protected String liveUrl() {
        return server.liveUrl();
    }

    @Override
    protected String token(String sub) throws Exception {
        return server.token(sub, "user");
    }

    @Override
    protected Connection database() throws Exception {
        return server.database();
    }

    @Override
    protected Map<String, Object> todos() {
        return Map.of("table", "public.todos");
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
