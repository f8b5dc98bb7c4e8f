package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A source outside the embedded infrastructure (a database in a container) served by one process
 * running every role, joined to an embedded infrastructure (Kafka, and an idle edge over the project's
 * rules), as a team trying Undercurrent on its own database would run it. Closing it stops both
 * processes; the database is the caller's.
 */
final class JoinedServer implements AutoCloseable {

    private final ServerNode infra;
    private final ServerNode node;
    private final DevTokenHandler tokens;

    private JoinedServer(ServerNode infra, ServerNode node) {
        this.infra = infra;
        this.node = node;
        this.tokens = new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC());
    }

    /**
     * Serves the sources {@code sources} declares ({@code UNDERCURRENT_SOURCES_<NAME>_*}) with the rules
     * of {@code rulesDir}; their tables and rules should be in place.
     */
    static JoinedServer start(Map<String, String> sources, Path dataDir, Path rulesDir) throws Exception {
        ServerNode infra = SplitRoles.startInfrastructure(dataDir, Role.EDGE);
        try {
            ServerNode node = SplitRoles.start(SplitRoles.joining(infra, rulesDir, sources, Map.of()), Role.ALL);
            return new JoinedServer(infra, node);
        } catch (Exception | Error e) {
            infra.close();
            throw e;
        }
    }

    String liveUrl() {
        return SplitRoles.liveUrl(node);
    }

    String token(String sub, String role) throws Exception {
        return tokens.sign(sub, role, 3600);
    }

    /** A client signed in as {@code sub} with {@code role}, ready to subscribe. */
    LiveClient signedIn(String sub, String role) throws Exception {
        LiveClient client = LiveClient.connect(liveUrl());
        client.sendJson(Map.of("type", "auth", "token", token(sub, role), "id", "a1"));
        client.await("ready", "a1");
        return client;
    }

    @Override
    public void close() throws Exception {
        try {
            node.close();
        } finally {
            infra.close();
        }
    }
}
