package io.undercurrent.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client of one Undercurrent server: one WebSocket connection ({@code /v1/live}), any number of live
 * queries, each keeping its rows current.
 *
 * <pre>{@code
 * record Todo(long id, String title, boolean done) {}
 *
 * try (UndercurrentClient client = UndercurrentClient.builder(URI.create("ws://localhost:8080/v1/live"))
 *         .tokenSupplier(() -> myIdentityProvider.token())
 *         .build()) {
 *     LiveQuery<Todo> todos = client.subscribe(Query.table("public.todos"), Todo.class, new LiveQueryListener<>() {
 *         public void onChanges(List<Change<Todo>> changes) { changes.forEach(System.out::println); }
 *     });
 *     ...
 * }
 * }</pre>
 *
 * <p>It connects at {@link Builder#build()}, reconnects with exponential backoff and jitter after a lost
 * connection, subscribes every live query again (asking to resume from its last position when the
 * server announces {@code resume}; otherwise the fresh snapshot replaces the rows), and asks the
 * {@link TokenSupplier} for a fresh token at every connect and before the current one expires.
 *
 * <p>Threads: every listener runs on the client's own thread ({@code undercurrent-client-N}, a daemon),
 * one call at a time, in the order frames arrive. The methods here and on {@link LiveQuery} may be
 * called from any thread. The token supplier runs on a thread of its own.
 */
public final class UndercurrentClient implements AutoCloseable {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final JavaType MAP_ROW = new ObjectMapper().constructType(Connection.MAP_TYPE);

    private final Connection connection;
    private final TokenSource tokens;

    private UndercurrentClient(URI uri, Settings settings, Transport transport) {
        int n = CLIENTS.incrementAndGet();
        this.tokens = settings.tokenSupplier() == null
                ? null
                : new TokenSource(settings.tokenSupplier(), "undercurrent-client-" + n + "-token");
        this.connection = new Connection(uri, settings, transport, new ClientLoop("undercurrent-client-" + n), tokens);
        connection.start();
    }

    /** @param uri the server's {@code ws://} or {@code wss://} address of {@code /v1/live} */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Starts a live query whose rows are of {@code rowType}: a record or class Jackson can build from a
     * row's JSON (columns it does not declare are ignored), or {@code Map.class}.
     *
     * @param listener told of snapshots, changes, resets and errors; may be a no-op ({@code new LiveQueryListener<>() {}})
     * @throws IllegalStateException when the client is closed
     */
    public <T> LiveQuery<T> subscribe(Query query, Class<T> rowType, LiveQueryListener<T> listener) {
        return subscribe(query, connection.json().constructType(rowType), listener);
    }

    /** Starts a live query whose rows are maps of column name to value (JSON types: String, Integer/Long, Boolean, ...). */
    public LiveQuery<Map<String, Object>> subscribe(Query query, LiveQueryListener<Map<String, Object>> listener) {
        return subscribe(query, MAP_ROW, listener);
    }

    private <T> LiveQuery<T> subscribe(Query query, JavaType rowType, LiveQueryListener<T> listener) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(listener, "listener");
        ObjectReader reader = connection.json().readerFor(rowType);
        Subscription<T> live = new Subscription<>(
                connection,
                query,
                row -> {
                    try {
                        return reader.readValue(row);
                    } catch (IOException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                },
                listener,
                connection.json());
        connection.subscribe(live);
        return live;
    }

    public ConnectionState state() {
        return connection.status().state();
    }

    /** The last connection state change, with its close code and backoff. */
    public ConnectionStatus status() {
        return connection.status();
    }

    /** What the server announced in {@code ready.features} on the current connection (for example {@code resume}). */
    public Set<String> features() {
        return connection.features();
    }

    /** When the current token expires (ms since 1970), as the server said in {@code ready}, or null. */
    public Long expiresAt() {
        return connection.expiresAt();
    }

    /** Replaces the token, on the open connection too, without dropping live queries. */
    public void setToken(String token) {
        connection.setToken(Objects.requireNonNull(token, "token"));
    }

    /** Closes the connection for good; every live query becomes {@link QueryStatus#CLOSED}. Idempotent. */
    @Override
    public void close() {
        connection.close();
        if (tokens != null) {
            tokens.close();
        }
    }

    /** Everything the builder collected. */
    record Settings(
            String token,
            TokenSupplier tokenSupplier,
            ObjectMapper json,
            Backoff backoff,
            Duration pingInterval,
            Duration connectTimeout,
            Duration refreshMargin,
            ConnectionListener connectionListener,
            Consumer<ServerError> errorListener) {}

    /** Settings of a client; {@link #build()} connects. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String token;
        private TokenSupplier tokenSupplier;
        private ObjectMapper json;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration refreshMargin = Duration.ofSeconds(60);
        private ConnectionListener connectionListener;
        private Consumer<ServerError> errorListener;
        private HttpClient http;
        private Transport transport;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("the server's address must be ws:// or wss://, got " + uri);
            }
        }

        /**
         * A fixed token (JWT). When it expires the server closes the connection (4401) and the client
         * closes for good, since reconnecting with it cannot succeed; prefer {@link #tokenSupplier}.
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Asked for a token at every connect and again before the current token expires (see {@link #refreshMargin}). */
        public Builder tokenSupplier(TokenSupplier tokenSupplier) {
            this.tokenSupplier = tokenSupplier;
            return this;
        }

        /**
         * The mapper that turns rows into the row types. Default: unknown properties ignored, java.time
         * types supported (timestamps arrive as ISO-8601 text).
         */
        public Builder objectMapper(ObjectMapper json) {
            this.json = json;
            return this;
        }

        /** Reconnect delays (default 250 ms doubling to 15 s, jittered). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Between pings (default 25 s, within the server's 120 s idle timeout); a connection silent for two is replaced. */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = positive(pingInterval, "pingInterval");
            return this;
        }

        /** How long opening a connection may take (default 10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long before the token's expiry to ask for a fresh one (default 60 s; half the lifetime for shorter tokens). */
        public Builder refreshMargin(Duration refreshMargin) {
            this.refreshMargin = positive(refreshMargin, "refreshMargin");
            return this;
        }

        /** Told of every connection state change. */
        public Builder connectionListener(ConnectionListener listener) {
            this.connectionListener = listener;
            return this;
        }

        /** Told of errors that belong to no live query: a refused token, a rate limit, a failing token supplier. */
        public Builder errorListener(Consumer<ServerError> listener) {
            this.errorListener = listener;
            return this;
        }

        /** The HTTP client whose WebSocket support is used (default: a new one). */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Builds the client and starts connecting. */
        public UndercurrentClient build() {
            ObjectMapper mapper = json != null
                    ? json
                    : new ObjectMapper()
                            .registerModule(new JavaTimeModule())
                            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            Transport chosen =
                    transport != null ? transport : new JdkTransport(http != null ? http : HttpClient.newHttpClient());
            return new UndercurrentClient(
                    uri,
                    new Settings(
                            token,
                            tokenSupplier,
                            mapper,
                            backoff,
                            pingInterval,
                            connectTimeout,
                            refreshMargin,
                            connectionListener,
                            errorListener),
                    chosen);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
            return d;
        }
    }
}
