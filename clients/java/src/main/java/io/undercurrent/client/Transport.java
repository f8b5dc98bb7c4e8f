package io.undercurrent.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How the client reaches the server: WebSocket text frames. {@link JdkTransport} is the real one;
 * tests of the client's own logic pass an in-memory one.
 */
interface Transport {

    /**
     * Starts opening a connection. Events arrive in order, from any thread: {@code opened} first, then
     * texts, then at most one of {@code closed} or {@code failed}. The future fails when the connection
     * cannot be made (then no event follows).
     */
    CompletableFuture<Void> open(URI uri, Duration connectTimeout, Events events);

    /** An open connection. Called from one thread at a time. */
    interface Channel {

        void send(String text);

        /** Closes cleanly with a close frame. */
        void close(int code, String reason);

        /** Drops the connection at once. */
        void abort();
    }

    interface Events {

        void opened(Channel channel);

        void text(String text);

        void closed(int code, String reason);

        void failed(Throwable error);
    }
}
