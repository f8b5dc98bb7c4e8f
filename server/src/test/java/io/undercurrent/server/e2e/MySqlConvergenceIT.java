package io.undercurrent.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over a MySQL 8 table: its binlog read by ingest, its snapshots read
 * under a brief global read lock and stitched by the executed GTID set. Skipped with a message where
 * no Docker engine runs.
 */
class MySqlConvergenceIT extends ConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static MySqlSource db;
    private static JoinedServer server;

    @BeforeAll
    static void start() throws Exception {
        if (!Docker.available()) {
            return; // each test skips, saying why
        }
        db = MySqlSource.start();
        db.execute(
                "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " title text, done boolean NOT NULL DEFAULT false) ENGINE=InnoDB",
                "INSERT INTO todos (owner_id, title) VALUES ('alice', 'v-alice'), ('carol', 'Buy milk')");
        Files.writeString(rulesDir.resolve("todos.yaml"), """
                source: shop
                table: app.todos
                read: "row.owner_id == auth.sub"
                """);
        server = JoinedServer.start(db.environment(), dataDir, rulesDir);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @BeforeEach
    void needsDocker() {
        Docker.assumeAvailable("MySqlConvergenceIT (MySQL 8, ingest, Kafka, router, edge)");
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
        return db.connect();
    }

    @Override
    protected Map<String, Object> todos() {
        return Map.of("source", MySqlSource.NAME, "table", MySqlSource.DATABASE + ".todos");
    }

    /** MySQL has no {@code INSERT ... RETURNING}. */
    @Override
    protected long insertCarols(Statement st, String title) throws SQLException {
        st.executeUpdate("insert into todos(owner_id, title) values ('carol', '" + title + "')");
        try (ResultSet rs = st.executeQuery("select last_insert_id()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
