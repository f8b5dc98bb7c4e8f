package io.undercurrent.ingest.crash;

import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** {@link NoLossContract} on PostgreSQL 17. */
class PostgresNoLossIT extends NoLossContract {

    @BeforeAll
    static void start() throws Exception {
        startKafka();
        db = TestDatabase.postgres(LocalPostgres.start(LocalPostgres.Options.defaults()));
    }
}
