package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.source.mariadb.testing.Docker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShopEndToEndContract} over MySQL 8.4 with GTIDs (its binlog read by Debezium in ingest, each
 * change carrying its GTID), the edge reading snapshots with the MySQL reader (stitched by the executed
 * GTID set taken under a global read lock). Skipped with a message where no Docker engine runs.
 */
class MySqlEndToEndIT extends ShopEndToEndContract {

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
        shop = serve(MySqlSource.start(), OwnColumns.NONE, dataDir, rulesDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void needsDocker() {
        Docker.assumeAvailable("MySqlEndToEndIT (MySQL 8, ingest, Kafka, router, edge)");
    }

    @Override
    protected ServedShop shop() {
        return shop;
    }

    @Override
    protected OwnColumns own() {
        return OwnColumns.NONE;
    }

    @Override
    protected String tag() {
        return "mysql";
    }

    /** MySQL's own JSON type reaches the client parsed. */
    @Override
    protected void assertOwnForms(ObjectNode fromSnapshot) {
        assertThat(fromSnapshot.path("doc").path("a").isArray())
                .as("JSON parsed")
                .isTrue();
    }
}
