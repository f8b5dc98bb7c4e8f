package io.undercurrent.server.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConvergenceContract} over a MariaDB table: its binlog read by ingest, its snapshots read in a
 * consistent snapshot stitched by binlog position.
 */
class MariaDbConvergenceIT extends ShopConvergenceContract {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static ServedShop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = serve(MariaDbSource.start(), dataDir, rulesDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    @Override
    protected ServedShop shop() {
        return shop;
    }
}
