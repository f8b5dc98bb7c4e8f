package io.undercurrent.server;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.router.LocalChangeTap;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.http.ChatExampleWrites;
import io.undercurrent.server.http.DescriptorBudget;
import io.undercurrent.server.http.DevTokenHandler;
import io.undercurrent.server.http.HealthAccess;
import io.undercurrent.server.http.HttpLimits;
import io.undercurrent.server.http.HttpServer;
import io.undercurrent.server.metrics.NodeMetrics;
import io.undercurrent.server.roles.EdgeRole;
import io.undercurrent.server.roles.EmbeddedInfrastructure;
import io.undercurrent.server.roles.IdentityService;
import io.undercurrent.server.roles.IngestRole;
import io.undercurrent.server.roles.LookupRole;
import io.undercurrent.server.roles.RouterRole;
import io.undercurrent.server.roles.RulesService;
import io.undercurrent.server.roles.Service;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server process: starts the parts its role needs in dependency order (infrastructure, rules,
 * ingest, router, edge, HTTP) and stops them in reverse, so nothing outlives what it reads from.
 */
public final class ServerNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerNode.class);

    private static final java.time.Duration INGEST_START_WAIT = java.time.Duration.ofSeconds(30);

    private final List<Service> started = new ArrayList<>();
    private final NodeMetrics metrics = new NodeMetrics();
    private EmbeddedInfrastructure embedded;
    private HttpServer http;
    private Config config;
    private boolean mintsDevTokens;

    /** Starts everything; on failure stops what already started and rethrows. */
    public static ServerNode start(Config config, Role role, Clock clock) throws ConfigException, RulesException {
        ServerNode node = new ServerNode();
        try {
            node.startAll(config, role, clock);
            return node;
        } catch (ConfigException | RulesException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void startAll(Config initial, Role role, Clock clock) throws ConfigException, RulesException {
        config = initial;
        HttpLimits httpLimits = DescriptorBudget.httpLimits(config);
        long since = System.nanoTime();
        if (config.get(ServerSettings.EMBEDDED)) {
            embedded = EmbeddedInfrastructure.start(config);
            since = started(embedded, since);
            config = embedded.apply(config);
        }
        ConfigCheck.forRole(config, role);
        IdentityService identity = IdentityService.start(config, clock, metrics::authFailure);
        if (identity != null) {
            since = started(identity, since);
        }
        RulesService rules = new RulesService(
                Path.of(config.get(RulesSettingDeclarations.DIR)),
                config.defaultSource(),
                config.sources().keySet(),
                config.get(RulesSettingDeclarations.HOT_RELOAD),
                new LookupLimits(
                        config.get(RulesSettingDeclarations.LOOKUPS_MAX_ROWS),
                        config.get(RulesSettingDeclarations.LOOKUPS_MAX_BYTES)));
        since = started(rules, since);
        Supplier<RuleSet> meteredRules = metrics.rules(rules, rules::rulesStatus);
        // Made before ingest, which offers it the changes Kafka acknowledged, even before the router starts.
        LocalChangeTap changeTap = RouterRole.changeTap(config, role);
        if (role.runsIngest()) {
            IngestRole ingest = new IngestRole(config, clock, changeTap == null ? LocalChanges.NONE : changeTap);
            ingest.start();
            started.add(ingest); // stopped with the rest if anything below fails
            ingest.sources().forEach(metrics::ingest);
            awaitStreaming(ingest);
            since = logStarted(ingest, since);
        }
        LookupRole lookups = null;
        if (role.runsRouter() || role.runsEdge()) {
            // Wherever rules are judged, the tables they look up are kept in memory.
            lookups = new LookupRole(config, rules.lookups(), rules);
            lookups.start();
            since = started(lookups, since);
            metrics.lookups(lookups.feeder());
        }
        // The edge is made before the router, which may hand it its deliveries directly, and started after it.
        EdgeRole edge = role.runsEdge()
                ? new EdgeRole(config, identity.tokens(), meteredRules, clock, metrics.edgeObserver(), lookups.reads())
                : null;
        if (role.runsRouter()) {
            try {
                RouterRole router = new RouterRole(
                        config,
                        meteredRules,
                        clock,
                        lookups.sync(),
                        edge == null ? LocalDeliveries.NONE : edge.localDeliveries(),
                        changeTap);
                router.start();
                since = started(router, since);
                metrics.router(router::health);
            } catch (RuntimeException e) {
                if (edge != null) {
                    edge.close();
                }
                throw e;
            }
        }
        if (edge != null) {
            edge.start();
            metrics.edge(edge::health);
            rules.onChange(edge::rulesChanged);
            lookups.onChange(edge::lookupsChanged);
            since = started(edge, since);
        }
        mintsDevTokens = embedded != null && DevelopmentMode.mintsTokens(initial);
        DevTokenHandler devToken =
                mintsDevTokens ? new DevTokenHandler(config.get(ServerSettings.JWT_SECRET), clock) : null;
        String host = DevelopmentMode.httpHost(config);
        if (devToken != null && !DevelopmentMode.isThisMachineOnly(host)) {
            LOG.warn(
                    "http.host is {}: anyone who can reach this port can mint tokens (admin included) at /dev/token. "
                            + "Set jwt.secret, or leave http.host unset to listen on this machine only",
                    host);
        }
        http = new HttpServer(
                host,
                config.get(ServerSettings.HTTP_PORT),
                edge == null ? null : edge.liveHandler(),
                edge == null ? null : edge.liveEventsHandler(),
                devToken,
                devToken != null && embedded.hasDemo(),
                devToken == null || identity == null || !embedded.hasDemo() ? null : chatWrites(identity),
                List.copyOf(started),
                new HealthAccess(identity == null ? null : identity.tokens()),
                httpLimits,
                metrics);
        http.start();
        started(http, since);
    }

    /** Keeps {@code service} to stop later and logs how long it took to start; returns now, for the next part. */
    private long started(Service service, long since) {
        started.add(service);
        return logStarted(service, since);
    }

    /** Logs how long {@code service} took to start; returns now, for the next part. */
    private static long logStarted(Service service, long since) {
        long now = System.nanoTime();
        LOG.info("{} took {} ms to start", service.name(), (now - since) / 1_000_000);
        return now;
    }

    /** The chat example's write endpoint, on the embedded database. */
    private ChatExampleWrites chatWrites(IdentityService identity) {
        return new ChatExampleWrites(identity.tokens(), embedded::connect);
    }

    /**
     * Gives ingest a moment to create its replication slots, so a row inserted right after the banner
     * is captured. Snapshots wait for the slot anyway; this only keeps the first minute friendly.
     */
    private static void awaitStreaming(IngestRole ingest) {
        try {
            ingest.awaitStreaming(INGEST_START_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!ingest.allRunning()) {
            LOG.warn(
                    "ingest is not streaming after {} s ({}); starting the other roles anyway: live queries wait for their source",
                    INGEST_START_WAIT.toSeconds(),
                    ingest.status());
        }
    }

    public Config config() {
        return config;
    }

    /** The embedded infrastructure, or null when this node uses external Kafka and databases. */
    public EmbeddedInfrastructure embedded() {
        return embedded;
    }

    /** This process's metrics, as scraped at /metrics. */
    public NodeMetrics metrics() {
        return metrics;
    }

    public HttpServer http() {
        return http;
    }

    /** Whether this node signs with the embedded development secret and serves /dev/token and the example app. */
    public boolean mintsDevTokens() {
        return mintsDevTokens;
    }

    public boolean healthy() {
        return started.stream().allMatch(Service::healthy);
    }

    @Override
    public void close() {
        List<Service> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (Service s : reverse) {
            long start = System.nanoTime();
            try {
                s.close();
                LOG.info("{} stopped in {} ms", s.name(), (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", s.name(), e.getMessage());
            }
        }
        started.clear();
    }
}
