package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.router.query.LiveQuery;
import io.undercurrent.router.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.sql.SQLException;
import java.util.Map;

/** Reads a live query's result with the visibility it was read at: {@link SnapshotReader}, or a fake in a test. */
interface SnapshotSource {

    /** See {@link SnapshotReader#read}. */
    SnapshotReader.Result read(TableRef table, LiveQuery query, TableSchema schema, Map<String, Object> auth, RuleSet rules,
                               String queryId) throws ProtocolException, SQLException, SnapshotReader.NotCapturedYet;
}
