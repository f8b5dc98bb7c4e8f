package io.undercurrent.edge.internal;

/** Where a subscription's frames go: a connection's {@link Outbox}, or a list in a test. */
@FunctionalInterface
interface FrameSink {

    /** Queues one frame; false when the client is gone or was disconnected for falling behind. */
    boolean send(String frame);
}
