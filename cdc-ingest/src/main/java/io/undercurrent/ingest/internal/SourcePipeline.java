package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * How one source's batches become published change events: the mapper, the transaction markers and
 * a {@link BatchHandler} per engine run, with the counts kept across runs. Knows no engine and no
 * Kafka: the sink is given ({@link #handler}), so the ingest loop can be stepped with fakes.
 */
public final class SourcePipeline {

    private final IngestSettings settings;
    private final RecordMapper mapper;
    private final TransactionMarkers markers;
    private final AtomicLong publishedBefore = new AtomicLong();
    private final AtomicLong skippedBefore = new AtomicLong();
    private volatile BatchHandler current;

    SourcePipeline(String source, SourceDialect dialect, IngestSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new RecordMapper(source, dialect, clock);
        this.markers = new TransactionMarkers(source, dialect);
    }

    /** The Debezium engine properties of a source, as ingest runs it (for benchmarks comparing engines). */
    public static Properties engineProperties(SourceSettings source, IngestSettings settings) {
        return EngineProperties.of(source, settings, SourceDialect.of(source, settings));
    }

    /**
     * Creates the change and marker topics if needed and opens a producer to them.
     *
     * @param local offered each change record Kafka acknowledged, or {@link LocalChanges#NONE}
     */
    static ChangeSink openKafkaSink(SourceSettings source, IngestSettings settings, LocalChanges local)
            throws InterruptedException {
        String topic = settings.topics().changes(source.name());
        String markerTopic = settings.topics().transactions(source.name());
        TopicCreator.ensure(settings, List.of(topic, markerTopic));
        return new KafkaChangeSink(settings, topic, markerTopic, "undercurrent-ingest-" + source.name(), local);
    }

    /** A handler publishing to {@code sink}, for one engine run; the previous run's counts are kept. */
    public DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler(ChangeSink sink) {
        BatchHandler previous = current;
        if (previous != null) {
            publishedBefore.addAndGet(previous.published());
            skippedBefore.addAndGet(previous.skipped());
        }
        // Four batches' worth of changes may wait for Kafka while Debezium reads on.
        BatchHandler handler =
                new BatchHandler(mapper, markers, sink, settings.publishTimeout(), settings.maxBatchSize() * 4);
        current = handler;
        return handler;
    }

    /**
     * Marks what Kafka acknowledged since the last batch, so an idle source's committed position moves too.
     *
     * @throws BatchHandler.PublishFailedException when Kafka refused a change in flight: capture must stop
     */
    public void markAcknowledged() throws InterruptedException {
        BatchHandler handler = current;
        if (handler != null) {
            handler.markAcknowledged();
        }
    }

    /** Waits (bounded) for Kafka to acknowledge what is in flight and marks it; call before stopping the engine. */
    public void drain(Duration timeout) throws InterruptedException {
        BatchHandler handler = current;
        if (handler != null) {
            handler.drain(timeout);
        }
    }

    /** Changes acknowledged by Kafka since this process started, across engine restarts. */
    public long published() {
        BatchHandler handler = current;
        return publishedBefore.get() + (handler == null ? 0 : handler.published());
    }

    /** Changes that could not be mapped and were skipped since this process started, across engine restarts. */
    public long skipped() {
        BatchHandler handler = current;
        return skippedBefore.get() + (handler == null ? 0 : handler.skipped());
    }
}
