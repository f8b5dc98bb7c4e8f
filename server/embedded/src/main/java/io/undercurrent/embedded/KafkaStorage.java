package io.undercurrent.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory the way {@code kafka-storage.sh format} does, unless it is
 * formatted already. A formatted directory is reused as it is, so a broker restarted on it keeps
 * its cluster id, topics, records and committed offsets.
 */
final class KafkaStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStorage.class);

    private KafkaStorage() {}

    /**
     * Returns the cluster id of {@code logDir}, formatting the directory first (new random
     * cluster id, {@code meta.properties}, bootstrap checkpoint) if it holds no
     * {@code meta.properties} yet.
     *
     * @throws EmbeddedException if the directory cannot be read or written, or was formatted for
     *     another node id
     */
    static String formatIfNeeded(Path logDir, int nodeId) {
        String dir = logDir.toAbsolutePath().toString();
        try {
            Files.createDirectories(logDir);
            MetaPropertiesEnsemble existing = new MetaPropertiesEnsemble.Loader()
                    .addMetadataLogDir(dir)
                    .addLogDirs(List.of(dir))
                    .load();
            if (!existing.errorLogDirs().isEmpty()) {
                throw new EmbeddedException("Kafka broker: cannot read meta.properties in log dir " + dir
                        + "; check its permissions, or give EmbeddedKafka.Options a fresh log dir.");
            }
            Optional<String> clusterId = existing.clusterId();
            if (clusterId.isPresent()) {
                OptionalInt formattedFor = existing.nodeId();
                if (formattedFor.isPresent() && formattedFor.getAsInt() != nodeId) {
                    throw new EmbeddedException("Kafka broker: log dir " + dir + " was formatted for node id "
                            + formattedFor.getAsInt() + ", not " + nodeId
                            + "; it belongs to another broker. Give EmbeddedKafka.Options a fresh log dir.");
                }
                return clusterId.get();
            }
            return format(dir, nodeId);
        } catch (IOException e) {
            throw new EmbeddedException("Kafka broker: cannot prepare log dir " + dir + ": " + e, e);
        }
    }

    private static String format(String dir, int nodeId) {
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName(KafkaBrokerProperties.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dir)
                    .addDirectory(dir)
                    // Static quorum (controller.quorum.voters): kraft.version 0, no voter
                    // snapshot, so the controller port is free to change between starts.
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedException("Kafka broker: formatting log dir " + dir + " failed: " + e, e);
        }
        LOG.info(
                "Formatted Kafka log dir {} with cluster id {}: {}",
                dir,
                clusterId,
                out.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }
}
