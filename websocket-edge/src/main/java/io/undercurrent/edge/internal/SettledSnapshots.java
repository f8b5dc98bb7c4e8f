package io.undercurrent.edge.internal;

import io.undercurrent.edge.LookupReads;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.SourceReadException;
import java.util.List;
import java.util.Map;

/**
 * Reads whose rules look other tables up are read again until they were judged against the lookups
 * as of the read ({@link LookupReads}); other reads pass straight through. Thread-safe.
 */
final class SettledSnapshots implements SnapshotSource {

    private final SnapshotSource reads;
    private final LookupReads lookups;

    SettledSnapshots(SnapshotSource reads, LookupReads lookups) {
        this.reads = reads;
        this.lookups = lookups;
    }

    @Override
    public ReadResult read(
            TableRef table,
            LiveQuery query,
            TableSchema schema,
            Map<String, Object> auth,
            RuleSet rules,
            String queryId)
            throws ProtocolException, SourceReadException {
        List<LookupBinding> bindings = rules.lookupBindings(table);
        if (bindings.isEmpty()) {
            return reads.read(table, query, schema, auth, rules, queryId);
        }
        long giveUp = System.nanoTime() + LookupReads.PATIENCE.toNanos();
        while (true) {
            long mark = lookups.mark();
            ReadResult result = reads.read(table, query, schema, auth, rules, queryId);
            try {
                if (lookups.settled(bindings, auth, mark, table.source(), result.point())) {
                    return result;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProtocolException(ErrorCode.INTERNAL, queryId, "the edge is stopping");
            }
            if (System.nanoTime() > giveUp) {
                throw new ProtocolException(
                        ErrorCode.INTERNAL,
                        queryId,
                        "this query's rows could not be judged against the rows its rules look up as of"
                                + " the read for " + LookupReads.PATIENCE.toSeconds() + " s (they changed during"
                                + " every read, or the change stream lags behind the database); subscribe again"
                                + " in a moment");
            }
        }
    }
}
