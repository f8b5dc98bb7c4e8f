package io.undercurrent.server.e2e;

import io.undercurrent.server.ServerNode;
import java.sql.Connection;
import java.util.Map;

/** {@link IngestCrashContract} over the embedded PostgreSQL, its source {@code app}. */
class IngestCrashIT extends IngestCrashContract {

    @Override
    protected String source() {
        return "app";
    }

    @Override
    protected String schema() {
        return "public";
    }

    @Override
    protected Map<String, String> sourceEnvironment(ServerNode infra) {
        return SplitRoles.appSource(infra);
    }

    @Override
    protected Connection database(ServerNode infra) throws Exception {
        return SplitRoles.database(infra);
    }
}
