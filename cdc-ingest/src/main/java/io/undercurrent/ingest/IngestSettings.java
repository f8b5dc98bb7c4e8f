package io.undercurrent.ingest;

import io.undercurrent.change.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings shared by every source of one ingest process.
 *
 * @param bootstrapServers   the Kafka cluster that receives change events and stores offsets
 * @param topics             topic naming
 * @param changePartitions   partitions of a newly created change topic (existing topics are left as they are)
 * @param replicationFactor  replication factor of topics ingest creates
 * @param offsetFlushInterval how often acknowledged positions are committed to the offset store; a crash
 *                           replays at most this much (at-least-once), it never loses anything
 * @param pollInterval       how long Debezium sleeps when the database has sent nothing (Postgres: after
 *                           about 5 ms of empty reads), and how long its queue waits to fill a batch: a
 *                           MySQL, MariaDB or MongoDB change waits up to one of these for its batch, a
 *                           Postgres change is handed over as soon as it is queued ({@code Handover})
 * @param maxBatchSize       most changes handed over in one batch
 * @param retryBackoffMin    first wait before restarting a failed source
 * @param retryBackoffMax    longest wait between restarts
 * @param kafkaOverrides     extra Kafka client settings (security etc.), applied to the producer and offset store
 * @param compression        how change events are compressed in Kafka
 * @param publishTimeout     longest wait for Kafka to acknowledge the oldest batch in flight before the source
 *                           fails and restarts from its last committed position
 * @param watermarkInterval  how often ingest writes a watermark into a PostgreSQL source's log, which it then
 *                           publishes to every partition of the change topic; zero writes none
 */
public record IngestSettings(
        String bootstrapServers,
        Topics topics,
        int changePartitions,
        short replicationFactor,
        Duration offsetFlushInterval,
        Duration pollInterval,
        int maxBatchSize,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        Map<String, String> kafkaOverrides,
        Compression compression,
        Duration publishTimeout,
        Duration watermarkInterval) {

    public IngestSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
        compression = compression == null ? IngestSettingDeclarations.COMPRESSION.defaultValue() : compression;
        publishTimeout = publishTimeout == null ? DEFAULT_PUBLISH_TIMEOUT : publishTimeout;
        watermarkInterval = watermarkInterval == null
                ? IngestSettingDeclarations.WATERMARK_INTERVAL.defaultValue()
                : watermarkInterval;
    }

    /** Settings with the default watermark interval. */
    public IngestSettings(
            String bootstrapServers,
            Topics topics,
            int changePartitions,
            short replicationFactor,
            Duration offsetFlushInterval,
            Duration pollInterval,
            int maxBatchSize,
            Duration retryBackoffMin,
            Duration retryBackoffMax,
            Map<String, String> kafkaOverrides,
            Compression compression,
            Duration publishTimeout) {
        this(
                bootstrapServers,
                topics,
                changePartitions,
                replicationFactor,
                offsetFlushInterval,
                pollInterval,
                maxBatchSize,
                retryBackoffMin,
                retryBackoffMax,
                kafkaOverrides,
                compression,
                publishTimeout,
                null);
    }

    /** Kafka's delivery timeout (30 s) plus room for the batches queued before the oldest one. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    /** Settings with the default publish timeout. */
    public IngestSettings(
            String bootstrapServers,
            Topics topics,
            int changePartitions,
            short replicationFactor,
            Duration offsetFlushInterval,
            Duration pollInterval,
            int maxBatchSize,
            Duration retryBackoffMin,
            Duration retryBackoffMax,
            Map<String, String> kafkaOverrides,
            Compression compression) {
        this(
                bootstrapServers,
                topics,
                changePartitions,
                replicationFactor,
                offsetFlushInterval,
                pollInterval,
                maxBatchSize,
                retryBackoffMin,
                retryBackoffMax,
                kafkaOverrides,
                compression,
                DEFAULT_PUBLISH_TIMEOUT);
    }

    /** Settings without compression. */
    public IngestSettings(
            String bootstrapServers,
            Topics topics,
            int changePartitions,
            short replicationFactor,
            Duration offsetFlushInterval,
            Duration pollInterval,
            int maxBatchSize,
            Duration retryBackoffMin,
            Duration retryBackoffMax,
            Map<String, String> kafkaOverrides) {
        this(
                bootstrapServers,
                topics,
                changePartitions,
                replicationFactor,
                offsetFlushInterval,
                pollInterval,
                maxBatchSize,
                retryBackoffMin,
                retryBackoffMax,
                kafkaOverrides,
                Compression.NONE);
    }

    /** Defaults for a single-node Kafka, as the embedded default and tests use. */
    public static IngestSettings singleNode(String bootstrapServers, Topics topics) {
        return new IngestSettings(
                bootstrapServers,
                topics,
                1,
                (short) 1,
                IngestSettingDeclarations.OFFSET_FLUSH.defaultValue(),
                IngestSettingDeclarations.POLL_INTERVAL.defaultValue(),
                IngestSettingDeclarations.MAX_BATCH.defaultValue(),
                IngestSettingDeclarations.RETRY_BACKOFF.defaultValue(),
                IngestSettingDeclarations.RETRY_BACKOFF_MAX.defaultValue(),
                Map.of(),
                IngestSettingDeclarations.COMPRESSION.defaultValue());
    }
}
