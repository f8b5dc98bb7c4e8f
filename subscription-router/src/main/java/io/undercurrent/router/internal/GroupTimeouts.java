package io.undercurrent.router.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session timeout a router can use: the configured one, unless the brokers refuse timeouts that
 * short ({@code group.min.session.timeout.ms}, 6 s on a stock broker), in which case their minimum,
 * with a warning saying what that costs. A stock cluster then works out of the box; a cluster whose
 * minimum was lowered gets the fast takeover.
 */
final class GroupTimeouts {

    private static final Logger LOG = LoggerFactory.getLogger(GroupTimeouts.class);
    static final String MIN_SESSION_TIMEOUT = "group.min.session.timeout.ms";

    private GroupTimeouts() {}

    static Duration sessionTimeout(Admin admin, Duration configured, String routerId) {
        Long brokerMinimum = brokerMinimum(admin);
        if (brokerMinimum == null || brokerMinimum <= configured.toMillis()) {
            return configured;
        }
        LOG.warn(
                "router '{}': the Kafka brokers refuse session timeouts below {} ms ({}), so router.session-timeout {} ms cannot be "
                        + "used: a router that dies is replaced after {} ms. Lower {} on the brokers for a faster takeover.",
                routerId,
                brokerMinimum,
                MIN_SESSION_TIMEOUT,
                configured.toMillis(),
                brokerMinimum,
                MIN_SESSION_TIMEOUT);
        return Duration.ofMillis(brokerMinimum);
    }

    /** The brokers' minimum, or null when it cannot be read (no permission to describe configs, say). */
    private static Long brokerMinimum(Admin admin) {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return null;
            }
            ConfigResource broker = new ConfigResource(
                    ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS);
            ConfigEntry entry = configs.get(broker).get(MIN_SESSION_TIMEOUT);
            return entry == null || entry.value() == null ? null : Long.parseLong(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.debug(
                    "cannot read {} from the brokers ({}); using router.session-timeout as configured",
                    MIN_SESSION_TIMEOUT,
                    e.getMessage());
            return null;
        }
    }
}
