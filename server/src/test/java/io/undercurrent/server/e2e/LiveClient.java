package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A real WebSocket client (java.net.http) that records every frame the server sends, or hands each
 * one to a handler as it arrives (for tests that judge every frame in arrival order).
 */
public final class LiveClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Consumer<JsonNode> handler;
    private final WebSocket socket;
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private LiveClient(String url, Consumer<JsonNode> handler) {
        this.handler = handler;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener())
                .join();
    }

    public static LiveClient connect(String url) {
        return new LiveClient(url, null);
    }

    /**
     * Connects with every frame handed to {@code handler} on the socket's thread, one at a time and in
     * arrival order; such a client keeps no frames, so {@link #await} and {@link #poll} find none.
     */
    public static LiveClient connect(String url, Consumer<JsonNode> handler) {
        return new LiveClient(url, Objects.requireNonNull(handler, "handler"));
    }

    public void send(String frame) {
        sendAsync(frame).join();
    }

    /**
     * Sends without waiting, after every frame sent before it (a WebSocket takes one send at a time);
     * safe from any thread, including a frame handler.
     */
    public synchronized CompletableFuture<WebSocket> sendAsync(String frame) {
        CompletableFuture<WebSocket> next =
                lastSend.handle((ws, error) -> null).thenCompose(x -> socket.sendText(frame, true));
        lastSend = next;
        return next;
    }

    public void sendJson(Object frame) {
        send(json(frame));
    }

    public CompletableFuture<WebSocket> sendJsonAsync(Object frame) {
        return sendAsync(json(frame));
    }

    /**
     * Sends an {@code auth} frame with {@code token} under {@code id}; its answer ({@code ready} or
     * {@code error}) is left to the caller.
     */
    public void sendAuth(String token, String id) {
        sendJson(Map.of("type", "auth", "token", token, "id", id));
    }

    /** Sends an {@code auth} frame and waits for its {@code ready}, which it returns. */
    public JsonNode authenticate(String token, String id) {
        sendAuth(token, id);
        return await("ready", id);
    }

    /**
     * Sends a {@code subscribe} under {@code id} to the {@code public.todos} rows whose {@code owner_id}
     * is {@code owner}; its answer is left to the caller.
     */
    public void sendSubscribeToTodosOf(String owner, String id) {
        sendJson(Map.of(
                "type",
                "subscribe",
                "id",
                id,
                "table",
                "public.todos",
                "where",
                Map.of("owner_id", Map.of("eq", owner))));
    }

    /** Subscribes as {@link #sendSubscribeToTodosOf} does and waits for the snapshot, which it returns. */
    public JsonNode subscribeToTodosOf(String owner, String id) {
        sendSubscribeToTodosOf(owner, id);
        return await("snapshot", id);
    }

    private static String json(Object frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the next frame that satisfies the predicate; frames before it are kept in {@link #seen()}. */
    public JsonNode await(Predicate<JsonNode> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame;
            try {
                frame = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (frame == null) {
                return fail("no matching frame within " + timeout + "; frames seen: " + seen);
            }
            seen.add(frame);
            if (predicate.test(frame)) {
                return frame;
            }
        }
    }

    public JsonNode await(String type, String id) {
        return await(
                f -> type.equals(f.path("type").asText())
                        && (id == null || id.equals(f.path("id").asText())),
                Duration.ofSeconds(30));
    }

    /**
     * Waits up to a minute for a {@code changes} frame whose first change is {@code op} and which {@link
     * #mentions} {@code text}; returns that change.
     */
    public JsonNode awaitChange(String op, String text) {
        JsonNode frame = await(
                f -> "changes".equals(f.path("type").asText())
                        && mentions(f, text)
                        && op.equals(f.path("changes").get(0).path("op").asText()),
                Duration.ofSeconds(60));
        return frame.path("changes").get(0);
    }

    /** True when {@code text} stands anywhere in {@code frame}'s JSON. */
    public static boolean mentions(JsonNode frame, String text) {
        return frame.toString().contains(text);
    }

    /** The next frame if one has arrived, else null; it is also recorded in {@link #seen()}. */
    public JsonNode poll() {
        JsonNode frame = inbox.poll();
        if (frame != null) {
            seen.add(frame);
        }
        return frame;
    }

    public List<JsonNode> seen() {
        return seen;
    }

    public int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the server closed the connection or it failed (a killed server shows as a failure). */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame;
                try {
                    frame = JSON.readTree(partial.toString());
                } catch (Exception e) {
                    frame = JSON.createObjectNode().put("type", "unparseable").put("text", partial.toString());
                }
                partial.setLength(0);
                if (handler == null) {
                    inbox.add(frame);
                } else {
                    handler.accept(frame);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
