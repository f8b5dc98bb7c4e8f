package io.undercurrent.edge.internal;

import io.undercurrent.bus.Delta;
import java.util.List;

/**
 * The pieces ({@link SharedDelta}) of the last deltas one dispatcher translated, so that every
 * subscription it hands a shared delta to gets the very same pieces. Subscriptions take the deltas
 * of a run one after the other on the delivery thread ({@link ChangeRun}); the {@link
 * DeliveryDispatcher} owns one and passes it down to {@link HeldKeys#translate}. Not thread-safe, and
 * neither are the pieces it hands out: one thread only, its owner's.
 */
final class RecentDeltas {

    /**
     * How many deltas are remembered, by identity hash, one per slot: a subscription takes every
     * delta of a run of changes before the next one takes them ({@link ChangeRun}, at most {@link
     * ChangeRun#MAX_CHANGES} changes), so each must stay remembered for the whole run.
     */
    static final int REMEMBERED = 4096;

    /** Stores nothing (it has no slot), so one serves every thread. */
    private static final RecentDeltas NONE = new RecentDeltas(0);

    private final SharedDelta[] entries;

    /** Remembers the last {@link #REMEMBERED} deltas. */
    RecentDeltas() {
        this(REMEMBERED);
    }

    private RecentDeltas(int slots) {
        this.entries = new SharedDelta[slots];
    }

    /**
     * Remembers nothing: each delta's pieces are made for the one subscription that asks. For a
     * subscription applying what it buffered, after its snapshot, resume or re-read (on a worker
     * thread): it has no other subscription to share them with there. Any thread.
     */
    static RecentDeltas none() {
        return NONE;
    }

    /** The pieces of this delta for a table keyed by {@code keyColumns}, made on the first call. */
    SharedDelta of(Delta delta, List<String> keyColumns) {
        if (entries.length == 0) {
            return new SharedDelta(delta, keyColumns);
        }
        int slot = System.identityHashCode(delta) & (entries.length - 1);
        SharedDelta known = entries[slot];
        if (known != null && known.isFor(delta, keyColumns)) {
            return known;
        }
        // a slot another delta took is taken over: the pieces are made again, equal, only not shared
        SharedDelta made = new SharedDelta(delta, keyColumns);
        entries[slot] = made;
        return made;
    }
}
