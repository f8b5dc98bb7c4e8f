package io.undercurrent.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * For each timed row, by sequence number: when the writer issued its commit (sent the autocommit
 * insert), when the commit returned ({@link System#nanoTime()} both), and its transaction id.
 * Written by the writers, read by the clients' threads.
 */
final class ProbeLog {

    private final AtomicLongArray issuedNanos;
    private final AtomicLongArray committedNanos;
    private final long[] txIds;

    ProbeLog(int capacity) {
        this.issuedNanos = new AtomicLongArray(capacity);
        this.committedNanos = new AtomicLongArray(capacity);
        this.txIds = new long[capacity];
    }

    int capacity() {
        return txIds.length;
    }

    void issued(int seq, long nanos) {
        issuedNanos.set(seq, nanos);
    }

    void committed(int seq, long nanos, long txId) {
        txIds[seq] = txId;
        committedNanos.set(seq, nanos);
    }

    /** When the commit was issued, or 0 when it was not (yet). */
    long issuedNanos(long seq) {
        return seq < 0 || seq >= txIds.length ? 0 : issuedNanos.get((int) seq);
    }

    /** When the commit returned to the writer, or 0 when the writer has not seen it return yet. */
    long committedNanos(long seq) {
        return seq < 0 || seq >= txIds.length ? 0 : committedNanos.get((int) seq);
    }

    /** The row's transaction id ({@link #txKey}); valid once {@link #committedNanos} is non-zero. */
    long txId(int seq) {
        return txIds[seq];
    }

    /**
     * A transaction's id as a number: PostgreSQL's 32-bit xid, or the sequence number of a MariaDB GTID
     * ({@code domain-server-sequence}; one server and one domain here, so the sequence number alone names it).
     */
    static long txKey(String txId) {
        return Long.parseLong(txId.substring(txId.lastIndexOf('-') + 1));
    }
}
