package io.undercurrent.edge.internal;

import java.util.Arrays;

/**
 * Per change partition, the highest offset and the highest source order a subscription took (see
 * {@link EdgeSubscription}: a delta at or below either is a replay). Kept in arrays indexed by the
 * partition rather than maps of boxed numbers: every delta of every subscription reads and moves
 * them. Partitions are Kafka's, numbered from 0. Not thread-safe; guarded by its subscription.
 */
final class PartitionMarks {

    private static final long NONE = Long.MIN_VALUE;

    private long[] offsets = new long[0];
    private String[] orders = new String[0];

    void clear() {
        Arrays.fill(offsets, NONE);
        Arrays.fill(orders, null);
    }

    /** True once an offset of this partition was taken (or set). */
    boolean hasOffset(int partition) {
        return partition >= 0 && partition < offsets.length && offsets[partition] != NONE;
    }

    /** The highest offset taken; only when {@link #hasOffset}. */
    long offset(int partition) {
        return offsets[partition];
    }

    void offset(int partition, long offset) {
        grow(partition);
        offsets[partition] = offset;
    }

    /** Sets the offset unless a higher one is already taken. */
    void raiseOffset(int partition, long offset) {
        grow(partition);
        if (offsets[partition] == NONE || offsets[partition] < offset) {
            offsets[partition] = offset;
        }
    }

    /** The highest source order taken, or null for none. */
    String order(int partition) {
        return partition >= 0 && partition < orders.length ? orders[partition] : null;
    }

    void order(int partition, String order) {
        grow(partition);
        orders[partition] = order;
    }

    private void grow(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("a change partition is numbered from 0, not " + partition);
        }
        if (partition >= offsets.length) {
            int size = Math.max(partition + 1, offsets.length * 2);
            int from = offsets.length;
            offsets = Arrays.copyOf(offsets, size);
            Arrays.fill(offsets, from, size, NONE);
            orders = Arrays.copyOf(orders, size);
        }
    }
}
