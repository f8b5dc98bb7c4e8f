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

    /** Kafka's delivery timeout (30 s) plus room for the batches queued before the oldest one. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    /** Defaults for a single-node Kafka, as the embedded default and tests use. */
    public static IngestSettings singleNode(String bootstrapServers, Topics topics) {
        return builder(bootstrapServers, topics).build();
    }

    /**
     * Settings for a single-node Kafka (one partition per change topic, replication factor 1), every
     * other setting at its declared default ({@link IngestSettingDeclarations}) until set.
     */
    public static Builder builder(String bootstrapServers, Topics topics) {
        return new Builder(bootstrapServers, topics);
    }

    /** Names each setting it changes; see the record's components for what each means. Not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private final Topics topics;
        private int changePartitions = 1;
        private short replicationFactor = 1;
        private Duration offsetFlushInterval = IngestSettingDeclarations.OFFSET_FLUSH.defaultValue();
        private Duration pollInterval = IngestSettingDeclarations.POLL_INTERVAL.defaultValue();
        private int maxBatchSize = IngestSettingDeclarations.MAX_BATCH.defaultValue();
        private Duration retryBackoffMin = IngestSettingDeclarations.RETRY_BACKOFF.defaultValue();
        private Duration retryBackoffMax = IngestSettingDeclarations.RETRY_BACKOFF_MAX.defaultValue();
        private Map<String, String> kafkaOverrides = Map.of();
        private Compression compression = IngestSettingDeclarations.COMPRESSION.defaultValue();
        private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
        private Duration watermarkInterval = IngestSettingDeclarations.WATERMARK_INTERVAL.defaultValue();

        private Builder(String bootstrapServers, Topics topics) {
            this.bootstrapServers = bootstrapServers;
            this.topics = topics;
        }

        public Builder changePartitions(int changePartitions) {
            this.changePartitions = changePartitions;
            return this;
        }

        public Builder replicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        public Builder offsetFlushInterval(Duration offsetFlushInterval) {
            this.offsetFlushInterval = offsetFlushInterval;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** @param min the first wait before restarting a failed source; {@code max} the longest */
        public Builder retryBackoff(Duration min, Duration max) {
            this.retryBackoffMin = min;
            this.retryBackoffMax = max;
            return this;
        }

        public Builder kafkaOverrides(Map<String, String> kafkaOverrides) {
            this.kafkaOverrides = kafkaOverrides;
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = compression;
            return this;
        }

        public Builder publishTimeout(Duration publishTimeout) {
            this.publishTimeout = publishTimeout;
            return this;
        }

        public Builder watermarkInterval(Duration watermarkInterval) {
            this.watermarkInterval = watermarkInterval;
            return this;
        }

        public IngestSettings build() {
            return new IngestSettings(
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
                    watermarkInterval);
        }
    }
}
