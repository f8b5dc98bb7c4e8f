package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.FrameParser;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Clock;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /v1/live/sse}: one live query as a stream of Server-Sent Events, for clients that
 * cannot hold a WebSocket (a browser's {@code EventSource}, curl). The query comes from the URL
 * ({@code table}, {@code source}, {@code where} as JSON, {@code fields} comma-separated,
 * {@code orderBy} as JSON or {@code col:desc,...}, {@code limit}); the token from
 * {@code Authorization: Bearer}, or a {@code token} parameter where {@code edge.sse-token-parameter}
 * allows it. A request that cannot be served is answered with an HTTP status and an error frame as
 * JSON before any event. Events are the WebSocket protocol's frames ({@link SseTransport}); each
 * {@code id:} is the frame's position, so a reconnecting {@code EventSource} sends it back as
 * {@code Last-Event-ID} and resumes exactly. Comment lines every {@link #HEARTBEAT_MS} ms keep
 * proxies from closing a quiet stream, and find a client that left.
 */
final class LiveEvents implements HttpHandler {

    /** The query id of an event stream's only live query. */
    static final String QUERY_ID = "sse";
    /** How often a quiet stream gets a comment line (internal timing, not tuning). */
    static final long HEARTBEAT_MS = 15_000;

    private static final ObjectMapper JSON = ChangeEventCodec.canonicalMapper();
    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    private final EdgeSettings settings;
    private final Map<String, ClientConnection> connections;
    private final TokenVerifier verifier;
    private final LiveQueries liveQueries;
    private final TokenExpiry expiry;
    private final ServerFrames frames;
    private final Clock clock;
    private final FrameParser parser = new FrameParser();
    private final Executor closer;
    private final EdgeObserver observer;

    LiveEvents(
            EdgeSettings settings,
            Map<String, ClientConnection> connections,
            TokenVerifier verifier,
            LiveQueries liveQueries,
            TokenExpiry expiry,
            ServerFrames frames,
            Clock clock,
            Executor closer,
            EdgeObserver observer) {
        this.closer = closer;
        this.observer = observer;
        this.settings = settings;
        this.connections = connections;
        this.verifier = verifier;
        this.liveQueries = liveQueries;
        this.expiry = expiry;
        this.frames = frames;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
            refuse(exchange, 405, ErrorCode.BAD_REQUEST, "use GET");
            return;
        }
        TokenVerifier.Verified verified;
        ClientFrame.Subscribe subscribe;
        try {
            verified = verify(exchange);
            subscribe = subscribe(exchange);
        } catch (ProtocolException e) {
            int status = switch (e.code()) {
                case UNAUTHENTICATED, TOKEN_EXPIRED -> 401;
                default -> 400;
            };
            refuse(exchange, status, e.code(), e.getMessage());
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        new ServerSentEventHandler((connection, lastEventId) -> open(connection, verified, subscribe))
                .handleRequest(exchange);
    }

    private void open(
            ServerSentEventConnection stream, TokenVerifier.Verified verified, ClientFrame.Subscribe subscribe) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        ClientConnection connection = new ClientConnection(
                id,
                new Outbox(new SseTransport(stream), settings.maxPendingBytes(), clock, observer),
                new RateLimiter(settings.framesPerSecond(), now),
                now,
                false);
        connections.put(id, connection);
        // Undertow runs close tasks holding the stream's monitor, which a send to it takes too: ending the
        // live query there could wait for a subscription whose delivery waits for that monitor.
        stream.addCloseTask(c -> {
            connections.remove(id);
            try {
                closer.execute(() -> liveQueries.closeAll(connection));
            } catch (RejectedExecutionException e) {
                liveQueries.closeAll(connection); // the edge is closing: nothing is delivered any more
            }
        });
        stream.setKeepAliveTime(HEARTBEAT_MS);
        if (verified != null) {
            connection.authenticate(verified.claims(), verified.expiresAt());
            expiry.watch(connection.outbox());
        }
        liveQueries.subscribe(connection, subscribe);
    }

    private TokenVerifier.Verified verify(HttpServerExchange exchange) throws ProtocolException {
        String token = null;
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if (param(exchange, "token") != null) {
            if (!settings.sseTokenParameter()) {
                throw new ProtocolException(
                        ErrorCode.UNAUTHENTICATED,
                        null,
                        "send the token in an Authorization: Bearer header; the token parameter is off on this server"
                                + " (edge.sse-token-parameter)");
            }
            token = param(exchange, "token");
        }
        if (token == null) {
            if (!settings.allowAnonymous()) {
                throw new ProtocolException(
                        ErrorCode.UNAUTHENTICATED, null, "send a token in an Authorization: Bearer header");
            }
            return null;
        }
        return verifier.verify(token, null);
    }

    /** The subscribe frame the URL describes, checked by the WebSocket protocol's own parser. */
    private ClientFrame.Subscribe subscribe(HttpServerExchange exchange) throws ProtocolException {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "subscribe");
        frame.put("id", QUERY_ID);
        copy(exchange, frame, "table");
        copy(exchange, frame, "source");
        String where = param(exchange, "where");
        if (where != null) {
            frame.set("where", json("where", where));
        }
        String fields = param(exchange, "fields");
        if (fields != null) {
            ArrayNode list = frame.putArray("fields");
            for (String field : fields.split(",")) {
                if (!field.isBlank()) {
                    list.add(field.trim());
                }
            }
        }
        String orderBy = param(exchange, "orderBy");
        if (orderBy != null) {
            frame.set("orderBy", orderBy.trim().startsWith("[") ? json("orderBy", orderBy) : orders(orderBy));
        }
        String limit = param(exchange, "limit");
        if (limit != null) {
            try {
                frame.put("limit", Long.parseLong(limit.trim()));
            } catch (NumberFormatException e) {
                throw new ProtocolException(ErrorCode.INVALID_QUERY, QUERY_ID, "limit: expected a whole number");
            }
        }
        String after = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        if (after == null || after.isBlank()) {
            after = param(exchange, "after");
        }
        if (after != null && !after.isBlank()) {
            frame.put("after", after);
        }
        if (!frame.has("table")) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, QUERY_ID, "the table parameter is required");
        }
        try {
            return (ClientFrame.Subscribe) parser.parse(JSON.writeValueAsString(frame));
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, QUERY_ID, "the query cannot be read: " + e.getMessage());
        }
    }

    /** {@code col:desc,col2} as the protocol's {@code [["col","desc"],["col2","asc"]]}. */
    private static ArrayNode orders(String text) {
        ArrayNode out = JSON.createArrayNode();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            String[] parts = item.trim().split(":", 2);
            out.addArray().add(parts[0]).add(parts.length > 1 ? parts[1] : "asc");
        }
        return out;
    }

    private static JsonNode json(String name, String text) throws ProtocolException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.INVALID_QUERY, QUERY_ID, name + ": not valid JSON");
        }
    }

    private static void copy(HttpServerExchange exchange, ObjectNode frame, String name) {
        String value = param(exchange, name);
        if (value != null) {
            frame.put(name, value);
        }
    }

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }

    private void refuse(HttpServerExchange exchange, int status, ErrorCode code, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(frames.error(QUERY_ID, code, message));
    }
}
