package io.undercurrent.server.roles;

import io.undercurrent.change.Topics;
import io.undercurrent.router.Router;
import io.undercurrent.router.RouterHealth;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The router role. */
public final class RouterRole implements Service {

    private final Router router;

    public RouterRole(Config config, Supplier<RuleSet> rules, Clock clock) {
        Topics topics = new Topics(config.get(ServerSettings.TOPIC_PREFIX));
        String id = config.get(ServerSettings.ROUTER_ID) != null ? config.get(ServerSettings.ROUTER_ID) : "router-" + HostName.get();
        RouterSettings settings = new RouterSettings(id, config.get(ServerSettings.KAFKA_BOOTSTRAP), topics, topics.prefix() + "-router",
                config.get(ServerSettings.REPLICATION_FACTOR).shortValue(), Duration.ofMillis(20), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Map.of());
        this.router = new Router(settings, rules, clock);
    }

    public void start() {
        router.start();
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

    @Override
    public Object status() {
        RouterHealth h = router.health();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("running", h.running());
        s.put("subscriptions", h.subscriptions());
        s.put("changesRouted", h.changesRouted());
        s.put("deliveries", h.deliveries());
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
