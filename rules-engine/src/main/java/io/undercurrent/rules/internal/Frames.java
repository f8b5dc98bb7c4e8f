package io.undercurrent.rules.internal;

/**
 * The frames one rule set evaluates in: one per thread, reused, so evaluation allocates nothing.
 * Owned by a {@link LoadedRules} snapshot (its {@code withLookups} views share it), which hands it to
 * each evaluation; a thread's frame is dropped with the snapshot rather than kept for the life of
 * the thread. Thread-safe; each frame it hands out is confined to the thread that acquired it.
 */
final class Frames {

    private final ThreadLocal<Frame> perThread = ThreadLocal.withInitial(Frame::new);

    /**
     * This thread's frame, or a fresh one if it is already in use (a row map that calls back in);
     * bind it, and release it when done.
     */
    Frame acquire() {
        Frame frame = perThread.get();
        if (!frame.claim()) {
            frame = new Frame();
            frame.claim();
        }
        return frame;
    }
}
