package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.SourceReadException;
import java.util.Map;

/** Reads a live query's result for one subscriber with the point it was read at: {@link SnapshotReader}, or a fake in a test. */
interface SnapshotSource {

    /** See {@link SnapshotReader#read}. */
    ReadResult read(
            TableRef table,
            LiveQuery query,
            TableSchema schema,
            Map<String, Object> auth,
            RuleSet rules,
            String queryId)
            throws ProtocolException, SourceReadException;
}
