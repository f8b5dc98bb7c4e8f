package io.undercurrent.server.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShopEndToEndContract} over MariaDB 11.4 (its binlog read by Debezium in ingest), the edge
 * reading snapshots with the MariaDB reader, MariaDB's {@code uuid} type among the compared values. The
 * MariaDB source is named {@code shop}, so it shares the embedded infrastructure's Kafka with its demo
 * source {@code app}.
 */
class MariaDbEndToEndIT extends ShopEndToEndContract {

    private static final OwnColumns UUID =
            new OwnColumns(" uid uuid,", " uid,", " 'f47ac10b-58cc-4372-a567-0e02b2c3d479',");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    private static ServedShop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = serve(MariaDbSource.start(), UUID, dataDir, rulesDir);
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

    @Override
    protected OwnColumns own() {
        return UUID;
    }

    @Override
    protected String tag() {
        return "maria";
    }
}
