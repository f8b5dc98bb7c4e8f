package io.undercurrent.server.roles;

import io.undercurrent.change.Topics;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.ClientTokens;
import io.undercurrent.edge.EdgeHealth;
import io.undercurrent.edge.EdgeNode;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.EdgeSettingDeclarations;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.source.SourceReader;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The edge role: WebSocket clients on {@code /v1/live}. */
public final class EdgeRole implements Service {

    private final Map<String, SourceReader> readers;
    private final EdgeNode edge;

    /**
     * @param tokens   verifies client tokens; owned by the caller
     * @param observer hears read durations and commit-to-client latencies (the node's metrics)
     */
    public EdgeRole(Config config, ClientTokens tokens, Supplier<RuleSet> rules, Clock clock, EdgeObserver observer) {
        this(config, tokens, rules, clock, observer, io.undercurrent.edge.LookupReads.NONE);
    }

    /** @param lookupReads makes reads judged by rules that look other tables up exact */
    public EdgeRole(
            Config config,
            ClientTokens tokens,
            Supplier<RuleSet> rules,
            Clock clock,
            EdgeObserver observer,
            io.undercurrent.edge.LookupReads lookupReads) {
        this.readers = SourceReaders.open(config);
        this.edge = new EdgeNode(
                settings(config), channelSettings(config), tokens, readers, rules, clock, observer, lookupReads);
    }

    /** The limits of ephemeral channels as the configuration gives them. */
    public static ChannelSettings channelSettings(Config config) {
        return new ChannelSettings(
                config.get(EdgeSettingDeclarations.CHANNEL_ACTIONS_PER_SECOND),
                config.get(EdgeSettingDeclarations.CHANNEL_MAX_MESSAGE_BYTES),
                config.get(EdgeSettingDeclarations.CHANNEL_MAX_JOINED),
                config.get(EdgeSettingDeclarations.CHANNEL_MAX_PRESENT));
    }

    /** The edge's settings as the configuration gives them. */
    public static EdgeSettings settings(Config config) {
        Topics topics = new Topics(config.get(ServerSettings.TOPIC_PREFIX));
        String id = config.get(EdgeSettingDeclarations.ID) != null
                ? config.get(EdgeSettingDeclarations.ID)
                : "edge-" + HostName.get();
        return new EdgeSettings(
                id,
                config.get(ServerSettings.KAFKA_BOOTSTRAP),
                topics,
                config.get(ServerSettings.REPLICATION_FACTOR).shortValue(),
                config.defaultSource(),
                config.get(ServerSettings.ALLOW_ANONYMOUS),
                config.get(EdgeSettingDeclarations.IDLE_TIMEOUT),
                config.get(EdgeSettingDeclarations.MAX_PENDING),
                config.get(EdgeSettingDeclarations.MAX_SUBSCRIPTIONS),
                config.get(EdgeSettingDeclarations.MAX_SNAPSHOT_ROWS),
                config.get(EdgeSettingDeclarations.MAX_BUFFERED_DELTAS),
                config.get(EdgeSettingDeclarations.FRAMES_PER_SECOND),
                config.get(EdgeSettingDeclarations.REGISTRATION_TIMEOUT),
                config.get(EdgeSettingDeclarations.HEARTBEAT_TTL),
                config.get(EdgeSettingDeclarations.WORKER_THREADS),
                config.get(EdgeSettingDeclarations.WORKER_QUEUE),
                config.kafkaProperties(),
                config.get(EdgeSettingDeclarations.SCHEMA_CACHE_TTL),
                config.get(EdgeSettingDeclarations.DELIVERY_RETRY_BACKOFF),
                config.get(EdgeSettingDeclarations.DELIVERY_RETRY_BACKOFF_MAX),
                config.get(EdgeSettingDeclarations.WINDOW_READ_DELAY),
                config.get(EdgeSettingDeclarations.RESUME_SECRET) != null
                        ? config.get(EdgeSettingDeclarations.RESUME_SECRET)
                        : config.get(ServerSettings.JWT_SECRET),
                config.get(EdgeSettingDeclarations.SSE_TOKEN_PARAMETER),
                config.get(EdgeSettingDeclarations.DELIVERY_STALL_TIMEOUT));
    }

    public void start() {
        edge.start();
    }

    /** Where a router in this process hands this edge's deliveries directly. */
    public io.undercurrent.bus.kafka.LocalDeliveries localDeliveries() {
        return edge.localDeliveries();
    }

    public HttpHandler liveHandler() {
        return edge.liveHandler();
    }

    /** Server-Sent Events for {@code /v1/live/sse}. */
    public HttpHandler liveEventsHandler() {
        return edge.liveEventsHandler();
    }

    public EdgeHealth health() {
        return edge.health();
    }

    /** Rows of tables rules look up changed: live queries judged by them are read again. */
    public void lookupsChanged(Set<TableRef> lookedUpTables) {
        edge.lookupsChanged(lookedUpTables);
    }

    public void rulesChanged(Set<TableRef> tables) {
        edge.rulesChanged(tables);
    }

    @Override
    public String name() {
        return "edge";
    }

    @Override
    public boolean healthy() {
        return edge.health().up();
    }

    /** Ready once the edge's delivery consumer is positioned and running. */
    @Override
    public boolean ready() {
        return edge.health().ready();
    }

    @Override
    public Object status() {
        EdgeHealth h = edge.health();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("up", h.up());
        s.put("ready", h.ready());
        s.put("connections", h.connections());
        s.put("subscriptions", h.subscriptions());
        if (h.waitingForCapture() > 0) {
            s.put("waitingForCapture", h.waitingForCapture());
        }
        if (h.needsAction()) {
            s.put("needsAction", true);
        }
        if (h.lastError() != null) {
            s.put("lastError", h.lastError());
        }
        if (h.channelsError() != null) {
            // Live queries still work; presence and typing from other edges stop until it recovers.
            Map<String, Object> channels = new LinkedHashMap<>();
            channels.put("error", h.channelsError());
            channels.put("failingSince", String.valueOf(h.channelsFailingSince()));
            s.put("channels", channels);
        }
        return s;
    }

    @Override
    public void close() {
        edge.close();
        readers.values().forEach(SourceReader::close);
    }
}
