package io.undercurrent.edge.internal;

import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.SourceReadException;
import java.util.Map;
import java.util.Set;

/**
 * Times every read of another {@link SnapshotSource} and tells the {@link EdgeObserver}. Only sources
 * the edge is configured with are reported: the source name comes from the client's request, and an
 * unknown one must not become a metric label. Thread-safe.
 */
final class TimedSnapshots implements SnapshotSource {

    private final SnapshotSource delegate;
    private final Set<String> sources;
    private final EdgeObserver observer;

    TimedSnapshots(SnapshotSource delegate, Set<String> sources, EdgeObserver observer) {
        this.delegate = delegate;
        this.sources = Set.copyOf(sources);
        this.observer = observer;
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
        long start = System.nanoTime();
        EdgeObserver.Outcome outcome = EdgeObserver.Outcome.FAILED;
        try {
            ReadResult result = delegate.read(table, query, schema, auth, rules, queryId);
            outcome = EdgeObserver.Outcome.OK;
            return result;
        } catch (ProtocolException e) {
            outcome = EdgeObserver.Outcome.REFUSED;
            throw e;
        } finally {
            if (sources.contains(table.source())) {
                observer.snapshotRead(table.source(), outcome, System.nanoTime() - start);
            }
        }
    }
}
