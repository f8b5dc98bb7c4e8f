package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link IngestCrashContract} over MariaDB: ingest reading the binlog is killed and resumes from its position. */
class MariaDbIngestCrashIT extends IngestCrashContract {

    private static MariaDbSource db;

    @BeforeAll
    static void start() throws Exception {
        db = MariaDbSource.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected String source() {
        return MariaDbSource.NAME;
    }

    @Override
    protected String schema() {
        return MariaDbSource.DATABASE;
    }

    @Override
    protected Map<String, String> sourceEnvironment(ServerNode infra) {
        return db.environment();
    }

    @Override
    protected Connection database(ServerNode infra) throws Exception {
        return db.connect();
    }
}
