package io.undercurrent.edge;

import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.edge.internal.EdgeComponents;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.SourceReader;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A WebSocket edge node: authenticates clients, serves live queries (snapshot, then deltas) and
 * enforces limits and backpressure. It holds no state a client cannot rebuild by reconnecting to any
 * edge. The server mounts {@link #liveHandler()} at {@code /v1/live}.
 *
 * <p>Lifecycle: construct, {@link #start()}, mount the handler, {@link #close()} to drain (clients
 * are told 1001 and reconnect elsewhere). Thread-safe.
 */
public final class EdgeNode implements AutoCloseable {

    private final EdgeComponents components;

    /**
     * @param tokens  verifies client tokens; started and closed by its owner, not by the edge
     * @param readers how the edge reads each source database (schemas, snapshots), by source name; a
     *                source without one serves no live queries. The caller owns the readers and closes
     *                them after this node
     * @param rules   the rules in force (read per request)
     */
    public EdgeNode(
            EdgeSettings settings,
            ClientTokens tokens,
            Map<String, SourceReader> readers,
            Supplier<RuleSet> rules,
            Clock clock) {
        this(settings, tokens, readers, rules, clock, EdgeObserver.NONE);
    }

    /**
     * An edge whose read durations and commit-to-client latencies go to {@code observer} (see
     * {@link EdgeObserver} for the threads it is called on); other parameters as above.
     */
    public EdgeNode(
            EdgeSettings settings,
            ClientTokens tokens,
            Map<String, SourceReader> readers,
            Supplier<RuleSet> rules,
            Clock clock,
            EdgeObserver observer) {
        this(settings, ChannelSettings.DEFAULTS, tokens, readers, rules, clock, observer, LookupReads.NONE);
    }

    /**
     * An edge whose ephemeral channels (presence, typing; judged by the channel rules) have these
     * limits, and whose rules may look other tables up: {@code lookupReads} makes every read they
     * judge exact (see {@link LookupReads}); other parameters as above.
     */
    public EdgeNode(
            EdgeSettings settings,
            ChannelSettings channels,
            ClientTokens tokens,
            Map<String, SourceReader> readers,
            Supplier<RuleSet> rules,
            Clock clock,
            EdgeObserver observer,
            LookupReads lookupReads) {
        this.components = new EdgeComponents(
                settings, channels, tokens.verifier(), Map.copyOf(readers), rules, clock, observer, lookupReads);
    }

    /** Creates the edge's topics and starts receiving deliveries; returns once clients can be served. */
    public void start() {
        components.start();
    }

    /**
     * Where a router in this process may hand this edge's deliveries directly instead of writing them
     * to its Kafka topic ({@link LocalDeliveries} says how order is kept). The edge reads its topic all
     * the same, for routers in other processes. Usable before {@link #start()}: until the edge reads
     * its deliveries, what is handed over is dropped, as it would be unread on the topic.
     */
    public LocalDeliveries localDeliveries() {
        return components.localDeliveries();
    }

    /** The WebSocket handler for {@code /v1/live}. */
    public HttpHandler liveHandler() {
        return components.liveHandler();
    }

    /** The Server-Sent Events handler for {@code /v1/live/sse}: one live query per stream. */
    public HttpHandler liveEventsHandler() {
        return components.liveEventsHandler();
    }

    /**
     * Tells the edge that the rules were reloaded, and which tables' rules changed: their live queries
     * are reset and re-snapshotted. Call it on every reload, even one that changed no table's rule:
     * every client in a channel is judged again by the channel rule now in force, and one it no longer
     * lets join is taken out ({@code left} with code {@code forbidden}).
     */
    public void rulesChanged(Set<TableRef> tables) {
        components.rulesChanged(tables);
    }

    /**
     * Tells the edge that rows of tables rules look up ({@code lookups:}) changed, or that such a table
     * finished loading: every live query whose rules consult one of them is read again and sent the
     * difference ({@code added} for rows that became readable, {@code removed} for rows that no longer
     * are). Clients in channels whose {@code join} rule looks one of them up, and whom a changed row
     * may concern, are judged again: one that may no longer join is taken out ({@code left} with code
     * {@code forbidden}). Call it after the lookup rows changed. Cheap: the reads and the judging are
     * scheduled, never run here.
     */
    public void lookupsChanged(Set<TableRef> lookedUpTables) {
        components.lookupsChanged(lookedUpTables);
    }

    public EdgeHealth health() {
        return components.health();
    }

    /** Drains: closes every connection with 1001, withdraws its subscriptions, stops; bounded in time. */
    @Override
    public void close() {
        components.close();
    }
}
