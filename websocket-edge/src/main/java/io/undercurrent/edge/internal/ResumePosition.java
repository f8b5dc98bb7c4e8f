package io.undercurrent.edge.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@code position} says, once verified: where a live query's client stands, in terms an edge
 * can resume from. Built by the subscription when it sends a frame, written and checked by
 * {@link PositionCodec}; clients only ever see it signed and encoded. Immutable.
 *
 * @param resumable false for a position a resume cannot start from (a window read, or routers that
 *                  did not say where they read); such a position only ever leads to a reset
 * @param query     keyed digest of the query (source, table, where, fields, orderBy, limit)
 * @param identity  keyed digest of the subscriber's stable claims (null claims: anonymous)
 * @param rules     keyed digest of the table's rules version
 * @param readPoint the snapshot's read point token: which transactions its rows contain
 * @param next      per change partition (index = partition), the offset from which changes are not
 *                  yet reflected in what the client holds
 * @param orders    per change partition, the highest source order applied there, or null
 */
record ResumePosition(
        boolean resumable,
        byte[] query,
        byte[] identity,
        byte[] rules,
        String readPoint,
        long[] next,
        String[] orders) {

    ResumePosition {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(readPoint, "readPoint");
        if (next.length != orders.length) {
            throw new IllegalArgumentException("offsets and orders of different partition counts");
        }
    }

    int partitionCount() {
        return next.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResumePosition p
                && resumable == p.resumable
                && Arrays.equals(query, p.query)
                && Arrays.equals(identity, p.identity)
                && Arrays.equals(rules, p.rules)
                && readPoint.equals(p.readPoint)
                && Arrays.equals(next, p.next)
                && Arrays.equals(orders, p.orders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resumable, Arrays.hashCode(query), readPoint, Arrays.hashCode(next));
    }

    @Override
    public String toString() {
        return "ResumePosition[resumable=" + resumable + ", readPoint=" + readPoint + ", next=" + Arrays.toString(next)
                + ", orders=" + Arrays.toString(orders) + "]";
    }
}
