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
 * query subscribed again, resuming from the position of the last frame it applied. A client may also
 * {@link #leave} for a while, without a word, and come back the same way. Thread-safe (one lock per
 * client).
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
    private final VersionLog versions;
    private final List<QueryView> queries = new ArrayList<>();
    private final Map<String, QueryView> byId = new HashMap<>();
    private LiveClient socket;
    private String url;
    private int connection;
    private int nextQuery;
    private int queryNumber;
    /** While away: the writers' commit count to stay away until; {@link #maintain} reconnects after. */
    private long awayUntil = -1;

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
            Options options,
            VersionLog versions) {
        this.options = options;
        this.versions = versions;
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
     * subscribes every query again, resuming each from its position. False when the edge cannot be
     * reached.
     */
    synchronized boolean connect(String newUrl) {
        return connect(newUrl, true);
    }

    /** As {@link #connect(String)}; without {@code resume} every query starts afresh (a snapshot). */
    synchronized boolean connect(String newUrl, boolean resume) {
        awayUntil = -1;
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
            subscribe(q, resume);
        }
        return true;
    }

    /**
     * Closes the connection without a word (as a dropped network would) and stays away until the
     * writers committed {@code untilCommitted} transactions; {@link #maintain} then comes back.
     */
    synchronized void leave(long untilCommitted) {
        drop("away");
        awayUntil = untilCommitted;
        stats.departures.incrementAndGet();
    }

    /**
     * Replaces a lost connection (once back from {@link #leave}), and re-subscribes queries the server
     * failed; false if it could not.
     *
     * @param committed the writers' commit count now
     */
    synchronized boolean maintain(List<String> urls, Random random, long committed) {
        if (awayUntil >= 0 && committed < awayUntil) {
            return true;
        }
        if (!connected()) {
            if (urls.isEmpty()) {
                return false;
            }
            stats.reconnects.incrementAndGet();
            return connect(urls.get(random.nextInt(urls.size())));
        }
        for (QueryView q : queries) {
            if (q.state() == QueryView.State.LOST) {
                subscribe(q, true);
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
                options.splitTransactionsFail(),
                versions);
        queries.add(q);
        if (connected()) {
            subscribe(q, false);
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

    /** Whether some query could resume now: one without a window, holding the rows of a position. */
    synchronized boolean canResume() {
        return queries.stream().anyMatch(q -> !q.shape().windowed() && q.position() != null);
    }

    /** Whether it is connected to {@code edgeUrl} now. */
    synchronized boolean on(String edgeUrl) {
        return connected() && edgeUrl.equals(url);
    }

    /** Back (not away), and every query has its snapshot and is following changes. */
    synchronized boolean settled() {
        return awayUntil < 0 && connected() && queries.stream().allMatch(q -> q.state() == QueryView.State.LIVE);
    }

    synchronized void close() {
        drop("closed");
    }

    /** Subscribes {@code q}, with {@code after} its position when {@code resume} and it has one. */
    private void subscribe(QueryView q, boolean resume) {
        String id = "q" + (++nextQuery);
        Map<String, Object> frame = q.shape().subscribeFrame(id, table);
        String after = resume ? q.position() : null;
        if (after != null) {
            frame.put("after", after);
            stats.resumeAttempts.incrementAndGet();
            if (q.cutOff()) {
                stats.resumeAttemptsAfterLoss.incrementAndGet();
            }
        }
        q.subscribed(id, after != null);
        byId.put(id, q);
        stats.subscriptions.incrementAndGet();
        if (q.shape().windowed()) {
            stats.windows.incrementAndGet();
        }
        send(frame);
    }

    private void drop(String why) {
        boolean underUs = false;
        if (socket != null) {
            underUs = socket.isClosed();
            socket.close();
            socket = null;
        }
        connection++; // frames of the old socket still in flight are ignored
        for (QueryView q : byId.values()) {
            q.lost(underUs ? "connection lost" : why, underUs);
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
            case "snapshot", "changes", "resumed", "reset", "unsubscribed", "error" -> {
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
