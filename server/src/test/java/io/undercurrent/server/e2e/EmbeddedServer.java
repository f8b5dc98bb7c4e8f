package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The embedded default started in-process on free ports, over the project's own rules folder. It
 * listens where the embedded default listens unless the test says otherwise: on this machine only.
 */
final class EmbeddedServer implements AutoCloseable {

    final ServerNode node;
    private final DevTokenHandler tokens;

    private EmbeddedServer(ServerNode node) {
        this.node = node;
        this.tokens = new DevTokenHandler(node.embedded().devSecret(), Clock.systemUTC());
    }

    static EmbeddedServer start(Path dataDir, Map<String, String> extraEnvironment) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_DATA_DIR", dataDir.toString());
        env.put("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0");
        env.put("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put(
                "UNDERCURRENT_RULES_DIR",
                Path.of("..", "rules").toAbsolutePath().normalize().toString());
        env.putAll(extraEnvironment);
        Config config = new ConfigLoader(env).load(null);
        return new EmbeddedServer(ServerNode.start(config, Role.ALL, Clock.systemUTC()));
    }

    String liveUrl() {
        return node.http().address().replace("http://", "ws://") + "/v1/live";
    }

    String token(String sub, String role) throws Exception {
        return tokens.sign(sub, role, 3600);
    }

    /** GET /health, parsed. */
    com.fasterxml.jackson.databind.JsonNode health() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(node.http().address() + "/health"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    Connection database() throws Exception {
        var app = node.config().sources().get("app");
        Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
        c.setAutoCommit(true);
        return c;
    }

    @Override
    public void close() {
        node.close();
    }
}
