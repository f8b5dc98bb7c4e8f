package io.undercurrent.server.e2e;

import io.undercurrent.source.mariadb.testing.Docker;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over a MySQL 8 table: its binlog read by ingest, its snapshots read
 * under a brief global read lock and stitched by the executed GTID set. Skipped with a message where
 * no Docker engine runs.
 */
class MySqlConvergenceIT extends ShopConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static ServedShop shop;

    @BeforeAll
    static void start() throws Exception {
        if (!Docker.available()) {
            return; // each test skips, saying why
        }
        shop = serve(MySqlSource.start(), dataDir, rulesDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void needsDocker() {
        Docker.assumeAvailable("MySqlConvergenceIT (MySQL 8, ingest, Kafka, router, edge)");
    }

    @Override
    protected ServedShop shop() {
        return shop;
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
