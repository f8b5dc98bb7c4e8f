package io.undercurrent.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undercurrent.edge.EdgeHealth;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.router.RouterHealth;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The metrics of one server process, scraped at {@code /metrics} in the Prometheus text format. Every
 * name starts with {@code undercurrent_}, is in base units, counters end in {@code _total}, and no
 * label names a user. Each role's figures are read from its health at scrape time, so the roles need
 * no metrics code of their own; auth failures and rule denials are counted as they happen. One
 * instance per process, handed to what it measures (no global registry). Thread-safe.
 */
public final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final EdgeTimings edgeTimings = new EdgeTimings(registry);
    private volatile RuleErrorCounters ruleErrors;
    /** Micrometer holds what gauges and function counters read only weakly; the suppliers given here live as long as this. */
    private final List<Object> held = new CopyOnWriteArrayList<>();

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a refused client token; {@code reason} is one word such as {@code expired} or {@code unknown_key}. */
    public void authFailure(String reason) {
        authFailures
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("undercurrent.auth.failures")
                                .description("client tokens refused, by reason")
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }

    /** The edge's timings (read durations, commit-to-client latency), to hand to the edge before it starts. */
    public EdgeObserver edgeObserver() {
        return edgeTimings;
    }

    /** The edge's open connections, live queries and delivery lag. */
    public void edge(Supplier<EdgeHealth> health) {
        held.add(health);
        consumerLag("edge", health, h -> h.get().deliveryLag());
        Gauge.builder("undercurrent.connections", health, h -> h.get().connections())
                .description("open client connections on this edge")
                .register(registry);
        Gauge.builder("undercurrent.subscriptions", health, h -> h.get().subscriptions())
                .description("live queries on this edge")
                .register(registry);
    }

    /** The tables rules look up: their memory, the changes applied, and the tables that do not answer. */
    public void lookups(io.undercurrent.server.lookups.LookupFeeder feeder) {
        Gauge.builder("undercurrent.lookups.bytes", feeder, f -> f.estimatedBytes())
                .description(
                        "estimated bytes the tables rules look up hold in memory (bounded by rules.lookups.max-bytes)")
                .register(registry);
        Gauge.builder("undercurrent.lookups.unavailable", feeder, f -> f.unavailableTables())
                .description("looked-up tables loading or over their memory bound; rules consulting them deny")
                .register(registry);
        FunctionCounter.builder("undercurrent.lookups.changes", feeder, f -> f.changesApplied())
                .description("changes of looked-up tables applied to memory")
                .register(registry);
        FunctionCounter.builder("undercurrent.lookups.over.limit", feeder, f -> f.overLimit())
                .description("times a looked-up table went over rules.lookups.max-rows-per-table or max-bytes")
                .register(registry);
    }

    /** What the router routed and delivered, and its change lag. */
    public void router(Supplier<RouterHealth> health) {
        held.add(health);
        consumerLag("router", health, h -> h.get().changeLag());
        FunctionCounter.builder("undercurrent.deliveries", health, h -> h.get().deliveries())
                .description(
                        "delivery records this router wrote to edges (each carries the deltas of one change for its subscribers)")
                .register(registry);
        FunctionCounter.builder(
                        "undercurrent.router.local.deliveries",
                        health,
                        h -> h.get().localDeliveries())
                .description(
                        "of those, delivery records handed straight to the edge in this process instead of through Kafka")
                .register(registry);
        FunctionCounter.builder(
                        "undercurrent.router.local.changes",
                        health,
                        h -> h.get().localChanges())
                .description("change records taken straight from ingest in this process at their acknowledged offsets, "
                        + "instead of from the router's consumer")
                .register(registry);
        FunctionCounter.builder(
                        "undercurrent.router.changes", health, h -> h.get().changesRouted())
                .description("changes this router read and matched against subscriptions")
                .register(registry);
        FunctionCounter.builder(
                        "undercurrent.router.malformed", health, h -> h.get().malformedChanges())
                .description("changes this router could not read, skipped with their offsets committed (each logged)")
                .register(registry);
        Gauge.builder("undercurrent.router.partitions", health, h -> h.get().partitions())
                .description("change partitions this router routes now")
                .register(registry);
    }

    /**
     * {@code undercurrent_consumer_lag{role}}: records the role's consumer has yet to read (log end
     * offset minus its position, from the consumer's last fetch); NaN while unknown, so a graph shows a
     * gap rather than a false 0.
     */
    private <T> void consumerLag(String role, T health, java.util.function.ToLongFunction<T> lag) {
        Gauge.builder("undercurrent.consumer.lag", health, h -> {
                    long value = lag.applyAsLong(h);
                    return value < 0 ? Double.NaN : value;
                })
                .description("records not yet read by the role's consumer (router: its change partitions; "
                        + "edge: its delivery topic), as of its last poll")
                .tag("role", role)
                .register(registry);
    }

    /** Changes each source published to Kafka (acknowledged). */
    public void ingest(Supplier<SourceHealth> source) {
        held.add(source);
        FunctionCounter.builder(
                        "undercurrent.ingest.changes", source, s -> s.get().changesPublished())
                .description("change events of a source acknowledged by Kafka")
                .tag("source", source.get().source())
                .register(registry);
        FunctionCounter.builder(
                        "undercurrent.ingest.skipped", source, s -> s.get().changesSkipped())
                .description(
                        "changes of a source that could not be mapped to change events and were skipped (each logged)")
                .tag("source", source.get().source())
                .register(registry);
    }

    /** The rules in force, counting denials per table; and their run-time errors, from the engine's status. */
    public Supplier<RuleSet> rules(Supplier<RuleSet> rules, Supplier<RulesStatus> status) {
        this.ruleErrors = new RuleErrorCounters(status, registry);
        return new MeteredRuleSet.Supplier(rules, registry);
    }

    /** The Prometheus text exposition of every metric, now. */
    public String scrape() {
        RuleErrorCounters errors = ruleErrors;
        if (errors != null) {
            errors.refresh();
        }
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
