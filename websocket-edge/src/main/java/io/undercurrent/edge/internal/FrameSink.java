package io.undercurrent.edge.internal;

/** Where a subscription's frames go: a connection's {@link Outbox}, or a list in a test. */
@FunctionalInterface
interface FrameSink {

    /** Queues one frame; false when the client is gone or was disconnected for falling behind. */
    boolean send(String frame);

    /**
     * Queues a frame of changes of transaction {@code txId} committed at {@code committedAtMs}; a
     * sink that writes to a socket stamps the write as a {@link io.undercurrent.change.trace.ChangeStage}.
     */
    default boolean send(String frame, String txId, long committedAtMs) {
        return send(frame);
    }
}
