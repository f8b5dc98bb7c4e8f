package io.undercurrent.edge;

/**
 * Hears the timings an operator wants from an edge: how long reads of live queries' results take, and
 * how long a change took from its commit to a client's socket. The server turns them into metrics; the
 * edge itself depends on no metrics library.
 *
 * <p>Called on the edge's worker threads ({@link #snapshotRead}) and on Undertow's IO threads
 * ({@link #changeWritten}), for every read and every frame: implementations must be thread-safe, cheap
 * and must not block.
 */
public interface EdgeObserver {

    /** Hears nothing. */
    EdgeObserver NONE = new EdgeObserver() {
        @Override
        public void snapshotRead(String source, Outcome outcome, long nanos) {}

        @Override
        public void changeWritten(long committedAtMs, long writtenAtMs) {}
    };

    /** How a read ended. */
    enum Outcome {
        /** The rows were read. */
        OK,
        /** Refused as too large or no longer allowed by the rules (the client got an error frame). */
        REFUSED,
        /** The source failed (unreachable, timed out, a query error). */
        FAILED;

        /** The lower-case name, for labels. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A read of a live query's current result (an initial result, a reset's fresh one, or a window
     * read again) from the configured source {@code source} took {@code nanos} (monotonic clock).
     */
    void snapshotRead(String source, Outcome outcome, long nanos);

    /**
     * A frame carrying changes of a transaction was written to a client's socket at {@code writtenAtMs}
     * (this edge's clock, epoch milliseconds); the transaction was committed at {@code committedAtMs} (the
     * source database's commit timestamp carried in the change event, epoch milliseconds). Once per
     * transaction a frame carries, per client.
     */
    void changeWritten(long committedAtMs, long writtenAtMs);
}
