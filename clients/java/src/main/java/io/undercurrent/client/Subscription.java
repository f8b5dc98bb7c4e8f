package io.undercurrent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * A live query as the client holds it: rows, status and position, updated from frames on the client's
 * thread and published through volatile fields to any reader.
 */
final class Subscription<T> implements LiveQuery<T> {

    private static final System.Logger LOG = System.getLogger(UndercurrentClient.class.getName());

    private final Connection connection;
    private final Query query;
    private final LiveQueryListener<T> listener;
    private final ObjectMapper json;
    private final RowStore<T> store;

    // The client's thread only.
    String wireId;
    int retries;
    ScheduledFuture<?> retryTask;

    private volatile List<T> rows = List.of();
    private volatile QueryStatus status = QueryStatus.LOADING;
    private volatile ServerError error;
    private volatile String position;

    Subscription(
            Connection connection,
            Query query,
            Function<ObjectNode, T> convert,
            LiveQueryListener<T> listener,
            ObjectMapper json) {
        this.connection = connection;
        this.query = query;
        this.listener = listener;
        this.json = json;
        this.store = new RowStore<>(convert);
    }

    @Override
    public List<T> rows() {
        return rows;
    }

    @Override
    public QueryStatus status() {
        return status;
    }

    @Override
    public ServerError error() {
        return error;
    }

    @Override
    public String position() {
        return position;
    }

    @Override
    public Query query() {
        return query;
    }

    @Override
    public void close() {
        connection.unsubscribe(this);
    }

    @Override
    public String toString() {
        return "LiveQuery[" + query.table() + ", " + status + ", " + rows.size() + " rows]";
    }

    // ---- frames, on the client's thread ----

    void snapshot(JsonNode frame) {
        List<String> keyColumns = new ArrayList<>();
        frame.path("keyColumns").forEach(c -> keyColumns.add(c.asText()));
        store.replace(keyColumns, frame.path("rows"));
        rows = store.values();
        position = text(frame.get("position"));
        retries = 0;
        set(QueryStatus.LIVE, null);
        call(() -> listener.onSnapshot(rows));
    }

    void changes(JsonNode frame) {
        List<Change<T>> applied = new ArrayList<>();
        for (JsonNode change : frame.path("changes")) {
            String op = change.path("op").asText();
            T row = store.apply(op, change.get("key"), change.get("row"), change.get("unchanged"));
            applied.add(new Change<>(
                    Change.Op.valueOf(op.toUpperCase(java.util.Locale.ROOT)), keyOf(change.get("key")), row));
        }
        rows = store.values();
        if (frame.hasNonNull("position")) {
            position = frame.get("position").asText();
        }
        set(QueryStatus.LIVE, null);
        call(() -> listener.onChanges(List.copyOf(applied)));
    }

    void resumed() {
        retries = 0;
        set(QueryStatus.LIVE, null);
        call(listener::onResumed);
    }

    /** Rows stay until the snapshot that follows replaces them; the position is no longer one to resume from. */
    void reset(String reason) {
        position = null;
        set(QueryStatus.LOADING, null);
        call(() -> listener.onReset(reason));
    }

    void failed(ServerError why) {
        set(QueryStatus.ERROR, why);
        call(() -> listener.onError(why));
    }

    void set(QueryStatus status, ServerError error) {
        this.error = error;
        this.status = status;
    }

    private Map<String, Object> keyOf(JsonNode key) {
        return json.convertValue(key, Connection.MAP_TYPE);
    }

    /** A listener that throws must not stop the frames of every other query; its failure is logged. */
    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a listener of live query " + query + " threw; the client carries on",
                    e);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
