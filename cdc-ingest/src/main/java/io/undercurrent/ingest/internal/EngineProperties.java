package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceSettings;
import java.util.Properties;

/** The Debezium engine settings Undercurrent fixes for every source, on top of the connector's own. */
final class EngineProperties {

    private EngineProperties() {}

    static Properties of(SourceSettings source, IngestSettings settings, SourceDialect dialect) {
        Properties p = new Properties();
        p.putAll(settings.kafkaOverrides());
        p.setProperty("name", "undercurrent-" + source.name());
        p.setProperty("topic.prefix", source.name());
        // Offsets live in Kafka beside the changes they describe: durable, and shared by whichever
        // process runs this source next. Kafka Connect's store, closing its admin client on stop.
        p.setProperty("offset.storage", ClosingKafkaOffsetBackingStore.class.getName());
        p.setProperty("offset.storage.topic", settings.topics().offsets(source.name()));
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(settings.replicationFactor()));
        p.setProperty("bootstrap.servers", settings.bootstrapServers());
        p.setProperty(
                "offset.flush.interval.ms",
                Long.toString(settings.offsetFlushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        p.setProperty("max.batch.size", Integer.toString(settings.maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(settings.maxBatchSize() * 4));
        // Retries are Undercurrent's job (one policy, with backoff and a health state), so Debezium
        // hands every failure up at once instead of retrying out of sight.
        p.setProperty("errors.max.retries", "0");
        // Each change names its transaction and each transaction ends with a marker, so later stages
        // can deliver a transaction whole.
        p.setProperty("provide.transaction.metadata", "true");
        p.putAll(dialect.connectorProperties());
        if (dialect.handsOverAtOnce()) {
            // Debezium's queue returns a batch only when it is full or when the poll interval ends, so
            // a change read between two full batches waits out the interval. With a batch of one it
            // returns each change at once, and the connector's task (Handover) gathers what queued
            // meanwhile into batches of up to the size asked for.
            p.setProperty("max.batch.size", "1");
            p.setProperty(Handover.MAX_BATCH_PROPERTY, Integer.toString(settings.maxBatchSize()));
        }
        return p;
    }
}
