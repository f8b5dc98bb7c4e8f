package io.undercurrent.edge.internal;

import java.util.BitSet;
import java.util.List;

/**
 * Which partitions of a source's change topic have a router acknowledging a subscription. Only when
 * every partition is covered may the snapshot be taken: from then on no change can slip past the
 * routers unmatched. Not thread-safe; guarded by its subscription.
 */
final class Coverage {

    private final BitSet covered = new BitSet();
    private int partitionCount = -1;

    void add(List<Integer> partitions, int count) {
        partitionCount = Math.max(partitionCount, count);
        partitions.forEach(covered::set);
    }

    boolean complete() {
        return partitionCount >= 0 && covered.nextClearBit(0) >= partitionCount;
    }

    void clear() {
        covered.clear();
        partitionCount = -1;
    }
}
