package io.undercurrent.server.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.server.e2e.LiveClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One simulated client: a persona, a WebSocket connection to some edge, and its live queries. Frames
 * are judged as they arrive, on the socket's thread; the scenario drives it from its own thread. A
 * lost connection is noticed by {@link #maintain} and replaced by one to any running edge, with every
 * query subscribed again. Thread-safe (one lock per client).
 */
final class ChaosClient {

    private final String name;
    private final Persona persona;
    private final String table;
    private final String secret;
    private final RuleHistory rules;
    private final Violations violations;
    private final Stats stats;
    private final Options options;
    private final List<QueryView> queries = new ArrayList<>();
    private final Map<String, QueryView> byId = new HashMap<>();
    private LiveClient socket;
    private String url;
    private int connection;
    private int nextQuery;
    private int queryNumber;
    private final java.util.Set<String> endedBeforeUnsubscribe = new java.util.HashSet<>();

    /**
     * How the client behaves and what it forgives.
     *
     * @param errorsTolerated whether an {@code internal} error is expected now (a process is or was down)
     * @param splitTransactionsFail see {@link ChaosSettings#transactionFrames()}
     */
    record Options(BooleanSupplier errorsTolerated, boolean splitTransactionsFail) {}

    ChaosClient(
            String name,
            Persona persona,
            String table,
            String secret,
            RuleHistory rules,
            Violations violations,
            Stats stats,
            Options options) {
        this.options = options;
        this.name = name;
        this.persona = persona;
        this.table = table;
        this.secret = secret;
        this.rules = rules;
        this.violations = violations;
        this.stats = stats;
    }

    String name() {
        return name + "(" + persona.label() + ")";
    }

    Persona persona() {
        return persona;
    }

    synchronized List<QueryView> queries() {
        return List.copyOf(queries);
    }

    synchronized boolean connected() {
        return socket != null && !socket.isClosed();
    }

    /**
     * Connects to {@code newUrl} (dropping any connection it had), authenticates unless anonymous and
     * subscribes every query again. False when the edge cannot be reached.
     */
    synchronized boolean connect(String newUrl) {
        drop("reconnecting");
        int generation = ++connection;
        try {
            socket = LiveClient.connect(newUrl, frame -> onFrame(generation, frame));
        } catch (RuntimeException e) {
            socket = null;
            return false;
        }
        url = newUrl;
        if (!persona.anonymous()
                && !send(Map.of("type", "auth", "token", persona.token(secret), "id", "auth" + generation))) {
            return false;
        }
        for (QueryView q : queries) {
            subscribe(q);
        }
        return true;
    }

    /** Replaces a lost connection, and re-subscribes queries the server failed; false if it could not. */
    synchronized boolean maintain(List<String> urls, Random random) {
        if (!connected()) {
            if (urls.isEmpty()) {
                return false;
            }
            stats.reconnects.incrementAndGet();
            return connect(urls.get(random.nextInt(urls.size())));
        }
        for (QueryView q : queries) {
            if (q.state() == QueryView.State.LOST) {
                subscribe(q);
            }
        }
        return true;
    }

    synchronized void addQuery(QueryShape shape) {
        QueryView q = new QueryView(
                name() + " query " + (++queryNumber),
                shape,
                rules,
                persona.claims(),
                violations,
                stats,
                options.splitTransactionsFail());
        queries.add(q);
        if (connected()) {
            subscribe(q);
        }
    }

    /** Ends query number {@code which} (modulo their count); sends {@code unsubscribe} if the server has it open. */
    synchronized void unsubscribe(int which) {
        if (!queries.isEmpty()) {
            unsubscribe(queries.get(which % queries.size()));
        }
    }

    /** Subscribes and, in the same breath, unsubscribes: the server must end the query either way. */
    synchronized void subscribeAndUnsubscribe(QueryShape shape) {
        addQuery(shape);
        unsubscribe(queries.get(queries.size() - 1));
    }

    /**
     * Ends {@code q} in whatever state it is: waiting for its snapshot (maybe right behind its
     * subscribe), live, or reset. The server must answer {@code unsubscribed} and then nothing more.
     */
    private void unsubscribe(QueryView q) {
        queries.remove(q);
        if (!connected() || q.id() == null || q.state() == QueryView.State.LOST) {
            return;
        }
        sendUnsubscribe(q);
    }

    /** Queued behind every frame sent before it on this socket, so it may follow its subscribe at once. */
    private void sendUnsubscribe(QueryView q) {
        q.unsubscribing();
        stats.unsubscriptions.incrementAndGet();
        socket.sendJsonAsync(Map.of("type", "unsubscribe", "id", q.id()));
    }

    /** Sends a fresh token for the same identity: live queries must carry on without a reset. */
    synchronized void refreshToken() {
        if (!persona.anonymous() && connected()) {
            stats.tokenRefreshes.incrementAndGet();
            send(Map.of("type", "auth", "token", persona.token(secret), "id", "refresh" + connection));
        }
    }

    /** Every query has its snapshot and is following changes. */
    synchronized boolean settled() {
        return connected() && queries.stream().allMatch(q -> q.state() == QueryView.State.LIVE);
    }

    synchronized void close() {
        drop("closed");
    }

    private void subscribe(QueryView q) {
        String id = "q" + (++nextQuery);
        Map<String, Object> frame = q.shape().subscribeFrame(id, table);
        q.subscribed(id);
        byId.put(id, q);
        stats.subscriptions.incrementAndGet();
        if (q.shape().windowed()) {
            stats.windows.incrementAndGet();
        }
        send(frame);
    }

    private void drop(String why) {
        if (socket != null) {
            socket.close();
            socket = null;
        }
        connection++; // frames of the old socket still in flight are ignored
        for (QueryView q : byId.values()) {
            q.lost(why);
        }
        byId.clear();
        endedBeforeUnsubscribe.clear();
    }

    private boolean send(Map<String, Object> frame) {
        try {
            socket.sendJson(frame);
            return true;
        } catch (RuntimeException e) {
            return false; // the connection failed under us; maintain() notices
        }
    }

    private synchronized void onFrame(int generation, JsonNode frame) {
        if (generation != connection) {
            return;
        }
        stats.frames.incrementAndGet();
        String type = frame.path("type").asText();
        String id = frame.path("id").asText(null);
        switch (type) {
            case "ready", "pong" -> {}
            case "snapshot", "changes", "reset", "unsubscribed", "error" -> {
                QueryView q = id == null ? null : byId.get(id);
                if (q == null
                        && "bad_request".equals(frame.path("code").asText())
                        && endedBeforeUnsubscribe.remove(id)) {
                    return;
                }
                if (q == null) {
                    violations.add(
                            name() + " on " + url, "frame for a query that is not open", frame.toString(), List.of());
                    return;
                }
                q.onFrame(frame, options.errorsTolerated().getAsBoolean());
                if (q.unsubscribeSent() && q.endedByError()) {
                    // the server ended it before our unsubscribe arrived, which it answers as an unknown id
                    endedBeforeUnsubscribe.add(id);
                }
                if (q.state() == QueryView.State.REFUSED) {
                    byId.remove(id);
                    queries.remove(q); // the server ended it for good
                } else if (q.state() == QueryView.State.CLOSED || q.state() == QueryView.State.LOST) {
                    byId.remove(id);
                }
            }
            default -> violations.add(name() + " on " + url, "unexpected frame", frame.toString(), List.of());
        }
    }

    /** The expected rows of each query, for {@link QueryView#difference}. */
    synchronized Map<QueryView, String> differences(Map<QueryView, Map<Long, Map<String, Object>>> expected) {
        Map<QueryView, String> out = new LinkedHashMap<>();
        for (QueryView q : queries) {
            String d = q.difference(expected.get(q));
            if (d != null) {
                out.put(q, d);
            }
        }
        return out;
    }
}
