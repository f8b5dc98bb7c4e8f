package io.undercurrent.server.e2e.chaos;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every committed version of every row of a scenario's table, with the transaction that wrote it, as
 * the writers record them once their transaction committed. Lets a client tell a gap from a version it
 * may skip: of a row it holds, a live query without a window must deliver every later version (as
 * {@code changed}, or {@code removed} when the row leaves it), except versions overwritten by the same
 * transaction as the one it delivers. Thread-safe.
 */
final class VersionLog {

    private final Map<Long, ConcurrentSkipListMap<Long, Long>> rows = new ConcurrentHashMap<>();

    /** Version {@code version} of row {@code id} was committed by transaction {@code tx}. */
    void committed(long id, long version, long tx) {
        rows.computeIfAbsent(id, k -> new ConcurrentSkipListMap<>()).put(version, tx);
    }

    /**
     * The first version of row {@code id} strictly between {@code from} and {@code to} that another
     * transaction than {@code toTx} committed, or null when there is none (or none is recorded yet:
     * a writer records its versions just after its commit, so a client may see a later one first).
     */
    String skipped(long id, long from, long to, long toTx) {
        ConcurrentSkipListMap<Long, Long> versions = rows.get(id);
        if (versions == null || to <= from + 1) {
            return null;
        }
        for (Map.Entry<Long, Long> v : versions.subMap(from, false, to, false).entrySet()) {
            if (v.getValue() != toTx) {
                return "version " + v.getKey() + " (transaction " + v.getValue() + ")";
            }
        }
        return null;
    }
}
