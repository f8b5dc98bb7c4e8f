package io.undercurrent.client;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;

/**
 * The real server in its embedded default (PostgreSQL, Kafka and every role in this JVM) on free ports,
 * over the repository's rules, with tokens signed by its development secret for any lifetime.
 */
final class TestServer implements AutoCloseable {

    private final ServerNode node;
    private final DevTokenHandler tokens;

    private TestServer(ServerNode node) {
        this.node = node;
        this.tokens = new DevTokenHandler(node.embedded().devSecret(), Clock.systemUTC());
    }

    static TestServer start(Path dataDir) throws Exception {
        Map<String, String> env = Map.of(
                "UNDERCURRENT_EMBEDDED_DATA_DIR", dataDir.toString(),
                "UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0",
                "UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0",
                "UNDERCURRENT_HTTP_PORT", "0",
                "UNDERCURRENT_RULES_DIR",
                        Path.of("..", "..", "rules")
                                .toAbsolutePath()
                                .normalize()
                                .toString());
        Config config = new ConfigLoader(env).load(null);
        return new TestServer(ServerNode.start(config, Role.ALL, Clock.systemUTC()));
    }

    URI live() {
        return URI.create(node.http().address().replace("http://", "ws://") + "/v1/live");
    }

    int port() {
        return URI.create(node.http().address()).getPort();
    }

    /** A token for {@code sub} with {@code role}, valid for {@code seconds}. */
    String token(String sub, String role, long seconds) {
        try {
            return tokens.sign(sub, role, seconds);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
