package io.undercurrent.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client's live queries and the ids they have on the current connection: subscribes them, routes
 * their frames, retries the ones refused for now. A query keeps its rows and position across
 * connections; its wire id is new on each, so a late frame of an earlier connection is never taken
 * for the current one's. Client's thread only.
 */
final class LiveQueries {

    /** Query errors that say "retry later"; every other query error ends the query. */
    static final Set<String> RETRIABLE_QUERY_ERRORS = Set.of("internal", "rate_limited", "overloaded");

    /** What the queries need of the connection they are on. */
    interface Wire {
        /** Sends on the current connection; dropped when there is none. */
        void send(Map<String, ?> frame);

        String newId(String prefix);

        /** Whether the current connection's server announced {@code resume} in {@code ready.features}. */
        boolean resumeOffered();
    }

    private final Wire wire;
    private final ClientLoop loop;
    private final Backoff backoff;
    private final Set<Subscription<?>> queries = new LinkedHashSet<>();
    private final Map<String, Subscription<?>> byWireId = new HashMap<>();
    /** Moves on when a connection ends, so a retry scheduled on it never subscribes on the next. */
    private long connection;

    private boolean subscribed;

    LiveQueries(Wire wire, ClientLoop loop, Backoff backoff) {
        this.wire = wire;
        this.loop = loop;
        this.backoff = backoff;
    }

    void add(Subscription<?> query) {
        queries.add(query);
        if (subscribed) {
            subscribeOnWire(query);
        }
    }

    void remove(Subscription<?> query) {
        if (!queries.remove(query)) {
            return;
        }
        ClientLoop.cancel(query.retryTask);
        query.set(QueryStatus.CLOSED, null);
        if (query.wireId != null && byWireId.remove(query.wireId) != null) {
            wire.send(Map.of("type", "unsubscribe", "id", query.wireId));
        }
    }

    /** The connection is ready: every query is subscribed on it (with {@code after} where resume is offered). */
    void subscribeAll() {
        subscribed = true;
        queries.forEach(this::subscribeOnWire);
    }

    /** The connection ended: no id of it is valid any more, and no retry is due on it. */
    void forgetConnection() {
        subscribed = false;
        connection++;
        queries.forEach(query -> ClientLoop.cancel(query.retryTask));
        byWireId.clear();
    }

    /** Queries that were live or loading show their last rows while the client reconnects. */
    void reconnecting() {
        for (Subscription<?> query : queries) {
            if (query.status() == QueryStatus.LIVE || query.status() == QueryStatus.LOADING) {
                query.set(QueryStatus.RECONNECTING, null);
            }
        }
    }

    /** The client closed: every query not already in error is closed. */
    void closeAll() {
        for (Subscription<?> query : queries) {
            if (query.status() != QueryStatus.ERROR) {
                query.set(QueryStatus.CLOSED, null);
            }
        }
    }

    /**
     * Applies a frame for wire id {@code id} to its query.
     *
     * @param error the frame as an error, when it is one
     * @return false when no current query has that id (an error of the connection, or a late frame)
     */
    boolean route(String type, String id, JsonNode frame, ServerError error) {
        Subscription<?> query = id == null ? null : byWireId.get(id);
        if (query == null) {
            return false;
        }
        try {
            switch (type) {
                case "snapshot" -> query.snapshot(frame);
                case "changes" -> query.changes(frame);
                case "resumed" -> query.resumed();
                case "reset" -> query.reset(frame.path("reason").asText());
                case "error" -> failed(query, error);
                default -> {
                    // a frame type of a later protocol version: nothing to do
                }
            }
        } catch (IllegalArgumentException e) {
            // A row the caller's type cannot hold: a programming error, reported loudly, never skipped silently.
            wire.send(Map.of("type", "unsubscribe", "id", query.wireId));
            byWireId.remove(query.wireId);
            query.failed(new ServerError(
                    "bad_row",
                    "a row of " + query.query().table() + " does not fit the row type: " + Connection.rootMessage(e)));
        }
        return true;
    }

    private void subscribeOnWire(Subscription<?> query) {
        if (query.wireId != null) {
            byWireId.remove(query.wireId);
        }
        query.wireId = wire.newId("q");
        byWireId.put(query.wireId, query);
        Map<String, Object> frame = new LinkedHashMap<>(query.query().toFrame());
        frame.put("type", "subscribe");
        frame.put("id", query.wireId);
        if (query.position() != null && wire.resumeOffered()) {
            frame.put("after", query.position());
        }
        wire.send(frame);
    }

    private void failed(Subscription<?> query, ServerError error) {
        byWireId.remove(query.wireId);
        query.failed(error);
        if (!RETRIABLE_QUERY_ERRORS.contains(error.code())) {
            return;
        }
        long on = connection;
        Duration wait = backoff.delay(query.retries++);
        query.retryTask = loop.schedule(
                () -> {
                    if (on == connection && subscribed && queries.contains(query)) {
                        subscribeOnWire(query);
                    }
                },
                wait.toMillis());
    }
}
