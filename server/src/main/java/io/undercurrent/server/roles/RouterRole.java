package io.undercurrent.server.roles;

import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.change.Topics;
import io.undercurrent.router.LocalChangeTap;
import io.undercurrent.router.LookupSync;
import io.undercurrent.router.Router;
import io.undercurrent.router.RouterHealth;
import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The router role. */
public final class RouterRole implements Service {

    private final Router router;

    public RouterRole(Config config, Supplier<RuleSet> rules, Clock clock) {
        this(config, rules, clock, LookupSync.NONE);
    }

    /** @param lookupSync waited on before changes whose rules look other tables up are judged */
    public RouterRole(Config config, Supplier<RuleSet> rules, Clock clock, LookupSync lookupSync) {
        this(config, rules, clock, lookupSync, LocalDeliveries.NONE);
    }

    /**
     * @param lookupSync as above
     * @param localEdge  the edge in this process, handed its deliveries directly unless
     *                   {@code router.local-delivery} is false; {@link LocalDeliveries#NONE} when there is none
     */
    public RouterRole(
            Config config, Supplier<RuleSet> rules, Clock clock, LookupSync lookupSync, LocalDeliveries localEdge) {
        this(config, rules, clock, lookupSync, localEdge, null);
    }

    /**
     * @param lookupSync as above
     * @param localEdge  as above
     * @param tap        where ingest in this process offers the changes Kafka acknowledged to it
     *                   ({@link #changeTap}), or null when ingest runs elsewhere
     */
    public RouterRole(
            Config config,
            Supplier<RuleSet> rules,
            Clock clock,
            LookupSync lookupSync,
            LocalDeliveries localEdge,
            LocalChangeTap tap) {
        this.router = new Router(
                settings(config),
                rules,
                clock,
                lookupSync,
                config.get(RouterSettingDeclarations.LOCAL_DELIVERY) ? localEdge : LocalDeliveries.NONE,
                tap);
    }

    /**
     * The tap through which ingest hands this process's router its acknowledged changes: made when the
     * role runs both and {@code router.local-changes} is on; null otherwise.
     */
    public static LocalChangeTap changeTap(Config config, Role role) {
        return role.runsIngest() && role.runsRouter() && config.get(RouterSettingDeclarations.LOCAL_CHANGES)
                ? new LocalChangeTap()
                : null;
    }

    /** The router's settings as the configuration gives them. */
    public static RouterSettings settings(Config config) {
        Topics topics = new Topics(config.get(ServerSettings.TOPIC_PREFIX));
        String id = config.get(RouterSettingDeclarations.ID) != null
                ? config.get(RouterSettingDeclarations.ID)
                : "router-" + HostName.get();
        String group = config.get(RouterSettingDeclarations.GROUP_ID) != null
                ? config.get(RouterSettingDeclarations.GROUP_ID)
                : topics.prefix() + "-router";
        return new RouterSettings(
                id,
                config.get(ServerSettings.KAFKA_BOOTSTRAP),
                topics,
                group,
                config.get(ServerSettings.REPLICATION_FACTOR).shortValue(),
                config.get(RouterSettingDeclarations.POLL_TIMEOUT),
                config.get(RouterSettingDeclarations.EDGE_TTL),
                config.get(RouterSettingDeclarations.RETRY_BACKOFF),
                config.get(RouterSettingDeclarations.RETRY_BACKOFF_MAX),
                config.get(RouterSettingDeclarations.MAX_BATCHES_IN_FLIGHT),
                config.get(RouterSettingDeclarations.SESSION_TIMEOUT),
                config.get(RouterSettingDeclarations.HEARTBEAT_INTERVAL),
                config.kafkaProperties());
    }

    public void start() {
        router.start();
    }

    public RouterHealth health() {
        return router.health();
    }

    @Override
    public String name() {
        return "router";
    }

    @Override
    public boolean healthy() {
        RouterHealth h = router.health();
        return h.running();
    }

    /** Ready once the group assigned this router its partitions and it read every subscription. */
    @Override
    public boolean ready() {
        return router.health().ready();
    }

    @Override
    public Object status() {
        RouterHealth h = router.health();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("running", h.running());
        s.put("ready", h.ready());
        s.put("partitions", h.partitions());
        s.put("subscriptions", h.subscriptions());
        s.put("changesRouted", h.changesRouted());
        s.put("deliveries", h.deliveries());
        if (h.localDeliveries() > 0) {
            s.put("localDeliveries", h.localDeliveries());
        }
        if (h.localChanges() > 0) {
            s.put("localChanges", h.localChanges());
        }
        if (h.malformedChanges() > 0) {
            s.put("malformedChanges", h.malformedChanges());
        }
        if (h.needsAction()) {
            s.put("needsAction", true);
        }
        if (h.lastError() != null) {
            s.put("lastError", h.lastError());
        }
        return s;
    }

    @Override
    public void close() {
        router.close();
    }
}
