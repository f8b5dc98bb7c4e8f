package io.undercurrent.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Decides that a broker is ready by asking it: a describe-cluster request must list the node.
 * That proves the listener accepts clients and the node is registered and unfenced, which a
 * fixed sleep or an open port does not.
 */
final class KafkaReadiness {

    private static final Duration RETRY_BACKOFF = Duration.ofMillis(50);

    private KafkaReadiness() {}

    /** @throws EmbeddedException if the node is not listed within {@code timeout} */
    static void await(String bootstrapServers, int nodeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "embedded-kafka-readiness",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(timeoutMs, 5_000));
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    Collection<Node> nodes = admin.describeCluster(
                                    new DescribeClusterOptions().timeoutMs((int) Math.min(leftMs, timeoutMs)))
                            .nodes()
                            .get(leftMs, TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == nodeId)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedException(
                            "Interrupted while waiting for the Kafka broker on " + bootstrapServers
                                    + " to become ready",
                            e);
                }
                // The admin client already retries connection failures inside one call; this
                // backoff only paces the rare answer that does not list the node yet.
                LockSupport.parkNanos(RETRY_BACKOFF.toNanos());
            }
        }
        throw new EmbeddedException(
                "Kafka broker on " + bootstrapServers + " did not report node " + nodeId
                        + " as ready within " + timeout + "; see the broker log, or raise "
                        + "EmbeddedKafka.Options.withStartupTimeout",
                last);
    }
}
