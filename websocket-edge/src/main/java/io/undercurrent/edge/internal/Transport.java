package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.CloseCode;

/**
 * How an {@link Outbox} reaches its client: a WebSocket ({@link WebSocketTransport}) or a stream of
 * Server-Sent Events ({@link SseTransport}). Sends are asynchronous and keep their order.
 */
interface Transport {

    /**
     * Writes one frame (a protocol JSON object).
     *
     * @param done called once the frame was written, or failed (with the error; null on success)
     */
    void send(String frame, java.util.function.Consumer<Throwable> done);

    /** Closes the connection with a code that tells the client whether to reconnect. */
    void close(CloseCode code, String reason);

    boolean isOpen();

    /** Runs {@code task} once the connection is closed, whoever closed it. */
    void onClose(Runnable task);

    /** The client's address, for logs. */
    Object peer();
}
