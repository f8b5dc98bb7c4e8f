package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over a MariaDB table: its binlog read by ingest, its snapshots read in a
 * consistent snapshot stitched by binlog position, in one process that joins the embedded Kafka.
 */
class MariaDbConvergenceIT extends ConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static MariaDbSource db;
    private static ServerNode infra;
    private static ServerNode node;
    private static DevTokenHandler tokens;

    @BeforeAll
    static void start() throws Exception {
        db = MariaDbSource.start();
        db.execute(
                "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " title text, done boolean NOT NULL DEFAULT false) ENGINE=InnoDB",
                "INSERT INTO todos (owner_id, title) VALUES ('alice', 'v-alice'), ('carol', 'Buy milk')");
        Files.writeString(rulesDir.resolve("todos.yaml"), """
                source: shop
                table: app.todos
                read: "row.owner_id == auth.sub"
                """);
        infra = SplitRoles.startInfrastructure(dataDir, Role.EDGE);
        node = SplitRoles.start(SplitRoles.joining(infra, rulesDir, db.environment(), Map.of()), Role.ALL);
        tokens = new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (infra != null) {
            infra.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected String liveUrl() {
        return SplitRoles.liveUrl(node);
    }

    @Override
    protected String token(String sub) throws Exception {
        return tokens.sign(sub, "user", 3600);
    }

    @Override
    protected Connection database() throws Exception {
        return db.connect();
    }

    @Override
    protected Map<String, Object> todos() {
        return Map.of("source", MariaDbSource.NAME, "table", MariaDbSource.DATABASE + ".todos");
    }
}
