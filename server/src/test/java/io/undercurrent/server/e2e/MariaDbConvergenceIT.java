package io.undercurrent.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over a MariaDB table: its binlog read by ingest, its snapshots read in a
 * consistent snapshot stitched by binlog position ({@link MariaDbServer}).
 */
class MariaDbConvergenceIT extends ConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static MariaDbServer server;

    @BeforeAll
    static void start() throws Exception {
        MariaDbSource db = MariaDbSource.start();
        db.execute(
                "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " title text, done boolean NOT NULL DEFAULT false) ENGINE=InnoDB",
                "INSERT INTO todos (owner_id, title) VALUES ('alice', 'v-alice'), ('carol', 'Buy milk')");
        Files.writeString(rulesDir.resolve("todos.yaml"), """
                source: shop
                table: app.todos
                read: "row.owner_id == auth.sub"
                """);
        server = MariaDbServer.start(db, dataDir, rulesDir);
    }

    @AfterAll
    static void stop() throws Exception {
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
        return server.db.connect();
    }

    @Override
    protected Map<String, Object> todos() {
        return Map.of("source", MariaDbSource.NAME, "table", MariaDbSource.DATABASE + ".todos");
    }
}
