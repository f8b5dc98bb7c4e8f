package io.undercurrent.edge.internal;

import java.util.List;

/** Where a subscription's frames go: a connection's {@link Outbox}, or a list in a test. */
@FunctionalInterface
interface FrameSink {

    /** Queues one frame; false when the client is gone or was disconnected for falling behind. */
    boolean send(String frame);

    /**
     * Queues a frame of changes of the transactions {@code commits}, in commit order; a sink that
     * writes to a socket stamps the write of each as a {@link io.undercurrent.change.trace.ChangeStage}.
     */
    default boolean send(String frame, List<Commit> commits) {
        return send(frame);
    }

    /** A transaction whose changes a frame carries: its id and when the source committed it. */
    record Commit(String txId, long committedAtMs) {}
}
