package io.undercurrent.edge;

import io.undercurrent.rules.LookupBinding;
import io.undercurrent.source.ReadPoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes a read judged by rules that look other tables up ({@code lookups:}) exact: its rows must be
 * judged against the looked-up rows as of the read, not older (a membership deleted just before the
 * read still in memory) nor newer. The edge takes a {@link #mark()} before the read and asks
 * {@link #settled} after it; when the answer is no, it reads again. Implemented by whoever keeps the
 * lookups in memory (the server); thread-safe; called on the edge's worker threads.
 */
public interface LookupReads {

    /** For edges whose rules look nothing up, and tests: every read is settled at once. */
    LookupReads NONE = new LookupReads() {
        @Override
        public long mark() {
            return 0;
        }

        @Override
        public boolean settled(
                List<LookupBinding> bindings, Map<String, ?> auth, long mark, String source, ReadPoint point) {
            return true;
        }

        @Override
        public boolean changedSince(List<LookupBinding> bindings, Map<String, ?> auth, long mark) {
            return true;
        }
    };

    /** Where the lookups stand before a read. */
    long mark();

    /**
     * Waits (bounded) until the lookups hold every change the read at {@code point} saw, then answers
     * whether no looked-up row that may concern this subscriber (through {@code bindings}) changed
     * since {@code mark}: then the rows were judged against the lookups exactly as of the read.
     *
     * @return false when the read must be done again (or the lookups did not catch up in time)
     */
    boolean settled(List<LookupBinding> bindings, Map<String, ?> auth, long mark, String source, ReadPoint point)
            throws InterruptedException;

    /**
     * Whether a looked-up row that may concern this subscriber (through {@code bindings}) changed, or its
     * table was loaded, since {@code mark}: whom a burst of lookup changes concerns. True when unsure.
     */
    boolean changedSince(List<LookupBinding> bindings, Map<String, ?> auth, long mark);

    /** How long an edge keeps reading again before it gives up on a read. */
    Duration PATIENCE = Duration.ofSeconds(10);
}
