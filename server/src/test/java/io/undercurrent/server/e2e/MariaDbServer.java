package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A MariaDB source served by one process running every role, joined to an embedded infrastructure
 * (Kafka, and an idle edge over the project's rules) as a team trying Undercurrent on its MariaDB
 * would run it. Closing it stops both processes and the database.
 */
final class MariaDbServer implements AutoCloseable {

    final MariaDbSource db;
    private final ServerNode infra;
    private final ServerNode node;
    private final DevTokenHandler tokens;

    private MariaDbServer(MariaDbSource db, ServerNode infra, ServerNode node) {
        this.db = db;
        this.infra = infra;
        this.node = node;
        this.tokens = new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC());
    }

    /** Serves {@code db} with the rules of {@code rulesDir}; its tables and rules should be in place. */
    static MariaDbServer start(MariaDbSource db, Path dataDir, Path rulesDir) throws Exception {
        ServerNode infra = SplitRoles.startInfrastructure(dataDir, Role.EDGE);
        try {
            ServerNode node =
                    SplitRoles.start(SplitRoles.joining(infra, rulesDir, db.environment(), Map.of()), Role.ALL);
            return new MariaDbServer(db, infra, node);
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

    @Override
    public void close() throws Exception {
        try {
            node.close();
            infra.close();
        } finally {
            db.close();
        }
    }
}
