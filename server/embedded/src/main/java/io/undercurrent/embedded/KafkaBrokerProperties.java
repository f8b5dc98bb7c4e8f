package io.undercurrent.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The broker configuration of {@link EmbeddedKafka}: one node that is both broker and controller,
 * listening on the loopback interface only.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}), so the controller port is part of
 * the configuration, not of the formatted log directory; a restart may therefore use a different
 * controller port without harm.
 */
final class KafkaBrokerProperties {

    static final int NODE_ID = 1;
    static final String HOST = "127.0.0.1";
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Keys that wire the node together; overriding one would break the embedded broker. */
    static final List<String> MANAGED_KEYS = List.of(
            "process.roles",
            "node.id",
            "broker.id",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "controller.listener.names",
            "inter.broker.listener.name",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "log.dir",
            "log.dirs",
            "metadata.log.dir");

    /**
     * Defaults for one node. Each may be overridden through
     * {@link EmbeddedKafka.Options#withBrokerProperty(String, String)}.
     */
    static Map<String, String> singleNodeDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        // One node: every internal topic must be satisfiable by a single replica.
        defaults.put("offsets.topic.replication.factor", "1");
        defaults.put("transaction.state.log.replication.factor", "1");
        defaults.put("transaction.state.log.min.isr", "1");
        defaults.put("share.coordinator.state.topic.replication.factor", "1");
        defaults.put("share.coordinator.state.topic.min.isr", "1");
        defaults.put("default.replication.factor", "1");
        defaults.put("min.insync.replicas", "1");
        // The default 50 partitions per internal topic cost seconds on the first group join or
        // transaction of a fresh broker and buy nothing on one node.
        defaults.put("offsets.topic.num.partitions", "1");
        defaults.put("transaction.state.log.num.partitions", "1");
        // There is never a second member worth waiting for on a local node.
        defaults.put("group.initial.rebalance.delay.ms", "0");
        // A consumer that dies without leaving its group (kill -9) keeps its partitions until its
        // session times out; the stock minimum (6 s) would not let routers take over within seconds.
        defaults.put("group.min.session.timeout.ms", "1000");
        // Undercurrent creates its topics itself, with the partitioning and retention it needs;
        // an auto-created topic would hide a missing creation step.
        defaults.put("auto.create.topics.enable", "false");
        // No JMX: registering the broker's thousands of metrics as MBeans took a noticeable share of
        // its start, and a local broker is watched through the server's /metrics, not JMX.
        defaults.put("metric.reporters", "");
        defaults.put("metrics.jmx.exclude", ".*");
        return defaults;
    }

    private KafkaBrokerProperties() {}

    /**
     * Builds the complete broker configuration.
     *
     * @param overrides extra broker properties; they win over the single-node defaults
     * @throws EmbeddedException if {@code overrides} touches a key in {@link #MANAGED_KEYS}
     */
    static Properties build(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        TreeSet<String> rejected = new TreeSet<>(overrides.keySet());
        rejected.retainAll(MANAGED_KEYS);
        if (!rejected.isEmpty()) {
            throw new EmbeddedException("Kafka broker: the broker properties " + rejected + " are set by "
                    + "EmbeddedKafka itself; use EmbeddedKafka.Options.withLogDir / withPort instead, or remove them.");
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put(
                "listeners",
                BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                        + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        props.put(
                "listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.putAll(singleNodeDefaults());
        props.putAll(overrides);
        return props;
    }
}
