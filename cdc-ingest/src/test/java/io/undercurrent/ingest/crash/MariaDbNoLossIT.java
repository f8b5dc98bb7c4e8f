package io.undercurrent.ingest.crash;

import io.undercurrent.ingest.testing.TestDatabase;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@link NoLossContract} on MariaDB 11.4. */
class MariaDbNoLossIT extends NoLossContract {

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                LocalMariaDb.unsupportedReason() == null,
                () -> "MariaDB tests skipped: " + LocalMariaDb.unsupportedReason());
        startKafka();
        db = TestDatabase.mariadb(LocalMariaDb.start(), "app");
    }
}
