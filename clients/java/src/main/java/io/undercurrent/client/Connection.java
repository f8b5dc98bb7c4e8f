package io.undercurrent.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's connection: connect, authenticate, ping, refresh the token, reconnect with backoff,
 * and tell the live queries ({@link LiveQueries}) when it is ready, lost or closed. Every
 * field is touched on the client's one thread ({@link #loop}); transport events and public calls are
 * handed to it, so nothing here needs a lock.
 */
final class Connection {

    static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {};
    /** Close codes after which reconnecting cannot help (PROTOCOL.md: fix the client). */
    static final Set<Integer> FATAL_CLOSE_CODES = Set.of(1002, 1003, 1007, 1009, 1010, 4400);

    static final int ABNORMAL_CLOSE = 1006;
    static final int UNAUTHENTICATED_CLOSE = 4401;
    static final int SLOW_CONSUMER_CLOSE = 4429;
    /** A slow-consumer close starts its backoff at this attempt (2 s with the default backoff). */
    static final int SLOW_CONSUMER_FIRST_ATTEMPT = 3;

    private final URI uri;
    private final UndercurrentClient.Settings settings;
    private final Transport transport;
    private final ObjectMapper json;
    private final ClientLoop loop;
    private final TokenSource tokens;
    private final LiveQueries queries;

    private Attempt current;
    private ScheduledFuture<?> reconnect;
    private String token;
    private long nextId = 1;
    private int attempt;
    private volatile boolean closed;
    private volatile ConnectionStatus status = ConnectionStatus.of(ConnectionState.CONNECTING);
    private volatile Set<String> features = Set.of();
    private volatile Long expiresAt;

    /** One connection attempt; events of an attempt that is no longer current are ignored. */
    private static final class Attempt {
        final String token;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        Transport.Channel channel;
        String authId;
        boolean subscribed;
        long lastHeard;

        Attempt(String token) {
            this.token = token;
        }
    }

    /** @param tokens the token supplier's source, or null when a fixed token (or none) is used */
    Connection(
            URI uri, UndercurrentClient.Settings settings, Transport transport, ClientLoop loop, TokenSource tokens) {
        this.uri = uri;
        this.settings = settings;
        this.transport = transport;
        this.json = settings.json();
        this.loop = loop;
        this.tokens = tokens;
        this.token = settings.token();
        this.queries = new LiveQueries(
                new LiveQueries.Wire() {
                    @Override
                    public void send(Map<String, ?> frame) {
                        Connection.this.send(frame);
                    }

                    @Override
                    public String newId(String prefix) {
                        return Connection.this.newId(prefix);
                    }

                    @Override
                    public boolean resumeOffered() {
                        return features.contains("resume");
                    }
                },
                loop,
                settings.backoff());
    }

    void start() {
        run(this::connect);
    }

    ConnectionStatus status() {
        return status;
    }

    Set<String> features() {
        return features;
    }

    Long expiresAt() {
        return expiresAt;
    }

    boolean isClosed() {
        return closed;
    }

    ObjectMapper json() {
        return json;
    }

    // ---- public calls, handed to the client's thread ----

    void subscribe(Subscription<?> query) {
        if (closed) {
            throw new IllegalStateException("this Undercurrent client is closed; build a new one");
        }
        run(() -> {
            if (closed) {
                query.set(QueryStatus.CLOSED, null);
                return;
            }
            queries.add(query);
        });
    }

    void unsubscribe(Subscription<?> query) {
        run(() -> queries.remove(query));
    }

    void setToken(String fresh) {
        run(() -> {
            token = fresh;
            if (current != null && current.subscribed) {
                send(Map.of("type", "auth", "id", newId("a"), "token", fresh));
            }
        });
    }

    /** Closes for good; returns once the client's thread has done so. */
    void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            if (!closed) {
                closed = true;
                Attempt a = current;
                drop();
                if (a != null && a.channel != null) {
                    a.channel.close(1000, "client closed");
                }
                end(1000, "client closed", null);
            }
            done.complete(null);
        });
        if (!loop.inLoop()) {
            done.join(); // called from a listener, the task above runs after this one returns
        }
        loop.shutdown();
    }

    // ---- connecting ----

    private void connect() {
        if (closed) {
            return;
        }
        if (tokens == null) {
            open(token);
            return;
        }
        tokens.next()
                .whenCompleteAsync(
                        (fresh, error) -> {
                            if (closed) {
                                return;
                            }
                            if (error != null) {
                                connectionError(new ServerError(
                                        "token_supplier", "the token supplier failed: " + rootMessage(error)));
                                retry(null, "the token supplier failed");
                                return;
                            }
                            token = fresh;
                            open(fresh);
                        },
                        loop);
    }

    private void open(String withToken) {
        Attempt a = new Attempt(withToken);
        current = a;
        features = Set.of();
        a.timers.add(loop.schedule(
                () -> {
                    if (a == current && a.channel == null) {
                        abandon(
                                a,
                                "no connection within "
                                        + settings.connectTimeout().toMillis() + " ms");
                    }
                },
                settings.connectTimeout().toMillis()));
        transport
                .open(uri, settings.connectTimeout(), events(a))
                .whenCompleteAsync(
                        (ok, error) -> {
                            if (error != null) {
                                abandon(a, "connection failed: " + rootMessage(error));
                            }
                        },
                        loop);
    }

    private Transport.Events events(Attempt a) {
        return new Transport.Events() {
            @Override
            public void opened(Transport.Channel channel) {
                run(() -> {
                    if (a != current) {
                        channel.abort();
                        return;
                    }
                    a.channel = channel;
                    greet(a);
                });
            }

            @Override
            public void text(String text) {
                run(() -> {
                    if (a == current) {
                        a.lastHeard = System.nanoTime();
                        receive(a, text);
                    }
                });
            }

            @Override
            public void closed(int code, String reason) {
                run(() -> lost(a, code, reason));
            }

            @Override
            public void failed(Throwable error) {
                run(() -> abandon(a, "connection failed: " + rootMessage(error)));
            }
        };
    }

    /** Authenticates, or is ready at once without a token. */
    private void greet(Attempt a) {
        a.lastHeard = System.nanoTime();
        heartbeat(a);
        if (a.token != null) {
            a.authId = newId("a");
            send(Map.of("type", "auth", "id", a.authId, "token", a.token));
        } else {
            ready(a, json.createObjectNode());
        }
    }

    /** Pings every interval; a connection silent for two of them is given up. */
    private void heartbeat(Attempt a) {
        long interval = settings.pingInterval().toMillis();
        a.timers.add(loop.every(
                () -> {
                    if (a != current) {
                        return;
                    }
                    if (System.nanoTime() - a.lastHeard > TimeUnit.MILLISECONDS.toNanos(2 * interval)) {
                        abandon(a, "no frame from the server for " + 2 * interval + " ms");
                    } else {
                        send(Map.of("type", "ping"));
                    }
                },
                interval));
    }

    private void ready(Attempt a, JsonNode frame) {
        if (frame.hasNonNull("expiresAt")) {
            expiresAt = frame.get("expiresAt").asLong();
        }
        if (frame.path("features").isArray()) {
            Set<String> announced = new HashSet<>();
            frame.get("features").forEach(f -> announced.add(f.asText()));
            features = Set.copyOf(announced);
        }
        attempt = 0;
        scheduleRefresh(a);
        if (!a.subscribed) {
            a.subscribed = true;
            queries.subscribeAll();
            setStatus(ConnectionStatus.of(ConnectionState.READY));
        }
    }

    /** Asks the supplier for a fresh token ahead of expiry, so the connection never reaches its token's exp. */
    private void scheduleRefresh(Attempt a) {
        if (tokens == null || expiresAt == null) {
            return;
        }
        long left = expiresAt - System.currentTimeMillis();
        long delay = Math.max(0, left - Math.min(settings.refreshMargin().toMillis(), left / 2));
        a.timers.removeIf(
                java.util.concurrent.Future::isDone); // one refresh per token: a long connection must not pile them up
        a.timers.add(loop.schedule(() -> refresh(a), delay));
    }

    private void refresh(Attempt a) {
        tokens.next()
                .whenCompleteAsync(
                        (fresh, error) -> {
                            if (a != current) {
                                return;
                            }
                            if (error == null) {
                                token = fresh;
                                send(Map.of("type", "auth", "id", newId("a"), "token", fresh));
                                return;
                            }
                            connectionError(new ServerError(
                                    "token_supplier", "the token supplier failed: " + rootMessage(error)));
                            long left = expiresAt - System.currentTimeMillis();
                            if (left > 0) {
                                a.timers.add(loop.schedule(
                                        () -> refresh(a),
                                        Math.min(settings.backoff().initial().toMillis(), left / 2)));
                            }
                        },
                        loop);
    }

    // ---- losing the connection ----

    /** Gives a failing attempt up (as a 1006 close), then drops its connection. */
    private void abandon(Attempt a, String reason) {
        if (a != current) {
            return;
        }
        lost(a, ABNORMAL_CLOSE, reason);
        if (a.channel != null) {
            a.channel.abort();
        }
    }

    private void lost(Attempt a, int code, String reason) {
        if (a != current) {
            return;
        }
        drop();
        if (closed) {
            return;
        }
        queries.reconnecting();
        boolean tokenCannotChange = tokens == null && java.util.Objects.equals(token, a.token);
        if (FATAL_CLOSE_CODES.contains(code) || (code == UNAUTHENTICATED_CLOSE && tokenCannotChange)) {
            closed = true;
            end(code, reason, null);
            return;
        }
        if (code == SLOW_CONSUMER_CLOSE) {
            attempt = Math.max(attempt, SLOW_CONSUMER_FIRST_ATTEMPT);
        }
        retry(code, reason);
    }

    private void retry(Integer code, String reason) {
        Duration wait = settings.backoff().delay(attempt);
        attempt++;
        setStatus(new ConnectionStatus(ConnectionState.RECONNECTING, code, reason, attempt, wait, null));
        reconnect = loop.schedule(this::connect, wait.toMillis());
    }

    private void drop() {
        Attempt a = current;
        current = null;
        if (a != null) {
            a.timers.forEach(ClientLoop::cancel);
        }
        queries.forgetConnection();
    }

    private void end(int code, String reason, ServerError error) {
        ClientLoop.cancel(reconnect);
        queries.closeAll();
        setStatus(new ConnectionStatus(ConnectionState.CLOSED, code, reason, 0, null, error));
    }

    // ---- frames ----

    private void receive(Attempt a, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (Exception e) {
            connectionError(
                    new ServerError("bad_frame", "the server sent a frame that is not JSON: " + e.getMessage()));
            return;
        }
        String type = frame.path("type").asText();
        String id = frame.hasNonNull("id") ? frame.get("id").asText() : null;
        if (type.equals("ready")) {
            ready(a, frame);
            return;
        }
        if (type.equals("pong") || type.equals("unsubscribed")) {
            return;
        }
        ServerError error = type.equals("error")
                ? new ServerError(
                        frame.path("code").asText(), frame.path("message").asText())
                : null;
        if (error != null && id != null && id.equals(a.authId)) {
            authFailed(a, error);
            return;
        }
        if (!queries.route(type, id, frame, error) && error != null) {
            connectionError(error);
        }
    }

    private void authFailed(Attempt a, ServerError error) {
        connectionError(error);
        if (a.subscribed) {
            return; // a refresh was refused; the connection lives until its token's exp
        }
        drop();
        a.channel.close(1000, "token refused");
        if (tokens != null) {
            retry(UNAUTHENTICATED_CLOSE, error.message());
        } else {
            closed = true;
            end(UNAUTHENTICATED_CLOSE, error.message(), error);
        }
    }

    // ---- plumbing ----

    private void send(Map<String, ?> frame) {
        Attempt a = current;
        if (a == null || a.channel == null) {
            return;
        }
        try {
            a.channel.send(json.writeValueAsString(frame));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write a " + frame.get("type") + " frame: " + e.getOriginalMessage(), e);
        }
    }

    private void setStatus(ConnectionStatus next) {
        status = next;
        ConnectionListener listener = settings.connectionListener();
        if (listener != null) {
            try {
                listener.onStatus(next);
            } catch (RuntimeException e) {
                System.getLogger(UndercurrentClient.class.getName())
                        .log(System.Logger.Level.WARNING, "the connection listener threw; the client carries on", e);
            }
        }
    }

    private void connectionError(ServerError error) {
        java.util.function.Consumer<ServerError> listener = settings.errorListener();
        if (listener != null) {
            try {
                listener.accept(error);
            } catch (RuntimeException e) {
                System.getLogger(UndercurrentClient.class.getName())
                        .log(System.Logger.Level.WARNING, "the error listener threw; the client carries on", e);
            }
        }
    }

    private String newId(String prefix) {
        return prefix + nextId++;
    }

    private void run(Runnable task) {
        loop.execute(task);
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
