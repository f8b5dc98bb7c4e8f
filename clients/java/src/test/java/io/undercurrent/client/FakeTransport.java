package io.undercurrent.client;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-memory server for unit tests of the client's own logic: every connection the client opens
 * shows up in {@link #sockets}, and the test plays the server's side (accept, answer, drop).
 */
final class FakeTransport implements Transport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> open(URI uri, Duration connectTimeout, Events events) {
        Socket socket = new Socket(events);
        sockets.add(socket);
        return socket.opening;
    }

    /** Waits for the client's n-th connection (1-based) and accepts it. */
    Socket accept(int n) {
        Socket socket = attempt(n);
        socket.events.opened(socket);
        socket.opening.complete(null);
        return socket;
    }

    /** Waits for the client's n-th connection attempt (1-based), leaving it unanswered. */
    Socket attempt(int n) {
        await().atMost(WAIT).until(() -> sockets.size() >= n);
        return sockets.get(n - 1);
    }

    static final class Socket implements Channel {
        final Events events;
        final CompletableFuture<Void> opening = new CompletableFuture<>();
        final List<JsonNode> sent = new CopyOnWriteArrayList<>();
        /** When each frame of {@link #sent} was sent, ms since 1970. */
        final List<Long> sentAt = new CopyOnWriteArrayList<>();

        volatile Integer closedByClient;
        volatile boolean aborted;

        Socket(Events events) {
            this.events = events;
        }

        @Override
        public void send(String text) {
            try {
                sentAt.add(System.currentTimeMillis());
                sent.add(JSON.readTree(text));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close(int code, String reason) {
            closedByClient = code;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        void push(Object frame) {
            try {
                events.text(frame instanceof String s ? s : JSON.writeValueAsString(frame));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void drop(int code) {
            events.closed(code, "");
        }

        /** The connection attempt fails as an unreachable server's would. */
        void refuse() {
            opening.completeExceptionally(new java.net.ConnectException("Connection refused"));
        }

        /** Waits for the first frame sent after the first {@code from} frames that matches. */
        JsonNode received(Predicate<JsonNode> matching, int from) {
            return await().atMost(WAIT)
                    .until(
                            () -> sent.stream()
                                    .skip(from)
                                    .filter(matching)
                                    .findFirst()
                                    .orElse(null),
                            java.util.Objects::nonNull);
        }

        JsonNode received(String type) {
            return received(f -> type.equals(f.path("type").asText()), 0);
        }

        long count(String type) {
            return sent.stream()
                    .filter(f -> type.equals(f.path("type").asText()))
                    .count();
        }

        /** Answers the auth frame with ready, with extra fields. */
        void ready(Map<String, Object> extra) {
            Map<String, Object> frame = new java.util.HashMap<>(extra);
            frame.put("type", "ready");
            frame.put("id", received("auth").path("id").asText());
            push(frame);
        }
    }
}
