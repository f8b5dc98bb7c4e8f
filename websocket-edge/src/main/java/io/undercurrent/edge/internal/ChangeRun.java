package io.undercurrent.edge.internal;

import io.undercurrent.bus.Delivery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The deltas of consecutive changes read in one delivery batch, grouped per subscription before they
 * are handed over: each subscription then takes all of its deltas of the run under one hold of its
 * monitor, while its state is in the cache, instead of once per change. Each subscription still gets
 * its deltas in the order they were read; the dispatcher ends a run before anything else a
 * subscription must see in order (an acknowledgement). A run holds at most {@link #MAX_DELTAS} targets
 * or {@link #MAX_CHANGES} changes before the dispatcher hands it over. Delivery thread only.
 */
final class ChangeRun {

    /** The most targets a run holds before it is handed over, which bounds the arrays kept between runs. */
    static final int MAX_DELTAS = 16_384;
    /**
     * The most changes a run holds: every subscription translates the run's deltas one after the
     * other, and each delta's shared pieces must still be remembered when the next one comes to it
     * ({@link RecentDeltas}).
     */
    static final int MAX_CHANGES = 64;

    private final List<EdgeSubscription> subscriptions = new ArrayList<>();
    private Delivery.Changes[] metas = new Delivery.Changes[16];
    private Delivery.Target[] targets = new Delivery.Target[16];
    private int[] slots = new int[16];
    private Delivery.Changes[] sortedMetas = new Delivery.Changes[16];
    private Delivery.Target[] sortedTargets = new Delivery.Target[16];
    private int size;
    private int changes;
    /** This run's own token: a subscription compares it to tell whether it has a slot here yet. */
    private Object token = new Object();

    /** Adds a change's deltas for a subscription, after every one added before. */
    void add(EdgeSubscription sub, Delivery.Changes meta, Delivery.Target target) {
        int slot = sub.slotIn(token, subscriptions.size());
        if (slot < 0) {
            slot = subscriptions.size();
            subscriptions.add(sub);
        }
        if (size == metas.length) {
            int grown = size * 2;
            metas = Arrays.copyOf(metas, grown);
            targets = Arrays.copyOf(targets, grown);
            slots = Arrays.copyOf(slots, grown);
            sortedMetas = Arrays.copyOf(sortedMetas, grown);
            sortedTargets = Arrays.copyOf(sortedTargets, grown);
        }
        metas[size] = meta;
        targets[size] = target;
        slots[size] = slot;
        size++;
    }

    /** Counts a change whose targets were all added. */
    void changeRead() {
        changes++;
    }

    /** True when the run should be handed over before more is added. */
    boolean full() {
        return size >= MAX_DELTAS || changes >= MAX_CHANGES;
    }

    int size() {
        return size;
    }

    /**
     * Hands each subscription its deltas, in the order they were added, subscriptions in the order
     * they first appeared; then forgets the run (whatever happens).
     *
     * @param recent    the dispatcher's pieces of the deltas translated last, shared by the subscriptions
     * @param delivered told each subscription the run gave deltas to, after it took them
     */
    void deliver(RecentDeltas recent, Consumer<EdgeSubscription> delivered) {
        changes = 0;
        if (size == 0) {
            return;
        }
        try {
            int count = subscriptions.size();
            // counting sort by slot: stable, so each subscription's deltas keep their order
            int[] start = new int[count + 1];
            for (int i = 0; i < size; i++) {
                start[slots[i] + 1]++;
            }
            for (int s = 0; s < count; s++) {
                start[s + 1] += start[s];
            }
            int[] next = Arrays.copyOf(start, count);
            for (int i = 0; i < size; i++) {
                int at = next[slots[i]]++;
                sortedMetas[at] = metas[i];
                sortedTargets[at] = targets[i];
            }
            for (int s = 0; s < count; s++) {
                EdgeSubscription sub = subscriptions.get(s);
                sub.onChanges(sortedMetas, sortedTargets, start[s], start[s + 1], recent);
                delivered.accept(sub);
            }
        } finally {
            // nothing of the run outlives it: rows and subscriptions are released
            Arrays.fill(metas, 0, size, null);
            Arrays.fill(targets, 0, size, null);
            Arrays.fill(sortedMetas, 0, size, null);
            Arrays.fill(sortedTargets, 0, size, null);
            subscriptions.clear();
            size = 0;
            token = new Object();
        }
    }
}
