package io.undercurrent.edge.internal;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One subscription's outgoing frames, queued in order while its monitor is held and written to the
 * connection after it is released. Undertow's IO thread can hold a channel's monitor while it runs
 * close tasks, and a write takes that monitor: a thread that wrote while holding a subscription's
 * monitor could wait on the IO thread while the IO thread (or anything it waits for) waits on the
 * subscription. Queued here, frames leave in the order they were queued whichever thread writes
 * them: one writer at a time takes them first in, first out.
 *
 * <p>Thread-safe. {@link #add} and {@link #discard} are called with the subscription's monitor held;
 * {@link #drain} and {@link #awaitWritten} without it.
 */
final class OrderedSends {

    private record Frame(String text, List<FrameSink.Commit> commits) {}

    private final FrameSink sink;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    /** Held while frames are written: frames of this subscription are written by one thread at a time. */
    private final Object writing = new Object();

    OrderedSends(FrameSink sink) {
        this.sink = sink;
    }

    void add(String frame) {
        add(frame, null);
    }

    /** Queues a frame of changes of the transactions {@code commits}, or another frame when it is null. */
    synchronized void add(String frame, List<FrameSink.Commit> commits) {
        queue.add(new Frame(frame, commits));
    }

    /** Forgets frames not yet written (the subscription ended: nothing more is sent for it). */
    synchronized void discard() {
        queue.clear();
    }

    /** Writes every queued frame, in order; returns once the queue is empty or another writer took over the rest. */
    void drain() {
        synchronized (writing) {
            Frame frame;
            while ((frame = next()) != null) {
                if (frame.commits() == null) {
                    sink.send(frame.text());
                } else {
                    sink.send(frame.text(), frame.commits());
                }
            }
        }
    }

    /**
     * Returns once no frame of this subscription is being written. After {@link #discard} (and with
     * nothing queued since), a frame sent to the connection next follows every frame of this queue.
     */
    void awaitWritten() {
        synchronized (writing) {
            // a writer that took a frame before the discard has written it now
        }
    }

    private synchronized Frame next() {
        return queue.poll();
    }
}
