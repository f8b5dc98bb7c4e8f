package io.undercurrent.server.roles;

import io.undercurrent.change.Topics;
import io.undercurrent.edge.ClientTokens;
import io.undercurrent.edge.EdgeHealth;
import io.undercurrent.edge.EdgeNode;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.SourceDatabase;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.config.SourceConfig;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The edge role: WebSocket clients on {@code /v1/live}. */
public final class EdgeRole implements Service {

    private final EdgeNode edge;

    /** @param tokens verifies client tokens; owned by the caller */
    public EdgeRole(Config config, ClientTokens tokens, Supplier<RuleSet> rules, Clock clock) {
        Topics topics = new Topics(config.get(ServerSettings.TOPIC_PREFIX));
        String id = config.get(ServerSettings.EDGE_ID) != null ? config.get(ServerSettings.EDGE_ID) : "edge-" + HostName.get();
        EdgeSettings settings = new EdgeSettings(id, config.get(ServerSettings.KAFKA_BOOTSTRAP), topics,
                config.get(ServerSettings.REPLICATION_FACTOR).shortValue(), config.defaultSource(),
                config.get(ServerSettings.ALLOW_ANONYMOUS),
                config.get(ServerSettings.EDGE_IDLE_TIMEOUT), config.get(ServerSettings.EDGE_MAX_PENDING),
                config.get(ServerSettings.EDGE_MAX_SUBSCRIPTIONS), config.get(ServerSettings.EDGE_MAX_SNAPSHOT_ROWS), 10_000,
                config.get(ServerSettings.EDGE_FRAMES_PER_SECOND), config.get(ServerSettings.EDGE_REGISTRATION_TIMEOUT), Map.of());
        Map<String, SourceDatabase> sources = new LinkedHashMap<>();
        for (SourceConfig s : config.sources().values()) {
            // Initial results are read with SQL stitched by Postgres transaction ids; other kinds are
            // captured by ingest but cannot serve live queries yet.
            if (s.kind() == SourceKind.POSTGRES) {
                String slot = new SourceSettings(s.name(), s.kind(), s.host(), s.port(), s.database(), s.user(), s.password(), s.tables(),
                        Map.of()).replicationName();
                sources.put(s.name(), new SourceDatabase(s.name(), s.jdbcUrl(), s.user(), s.password(), s.snapshotPoolSize(), slot));
            }
        }
        this.edge = new EdgeNode(settings, tokens, sources, rules, clock);
    }

    public void start() {
        edge.start();
    }

    public HttpHandler liveHandler() {
        return edge.liveHandler();
    }

    public EdgeHealth health() {
        return edge.health();
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
        if (h.lastError() != null) {
            s.put("lastError", h.lastError());
        }
        return s;
    }

    @Override
    public void close() {
        edge.close();
    }
}
