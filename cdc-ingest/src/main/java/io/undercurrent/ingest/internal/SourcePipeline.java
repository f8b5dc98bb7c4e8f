package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
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
 * The pieces one source's engine is built from: dialect, mapper, sink and handler. Kept apart from
 * {@code SourceIngestor} so the supervision logic does not know which database it supervises.
 */
public final class SourcePipeline {

    private final SourceSettings source;
    private final IngestSettings settings;
    private final SourceDialect dialect;
    private final RecordMapper mapper;
    private final TransactionMarkers markers;
    private final AtomicLong publishedBefore = new AtomicLong();
    private final AtomicLong skippedBefore = new AtomicLong();
    private volatile BatchHandler current;

    private SourcePipeline(SourceSettings source, IngestSettings settings, SourceDialect dialect, Clock clock) {
        this.source = source;
        this.settings = settings;
        this.dialect = dialect;
        this.mapper = new RecordMapper(source.name(), dialect, clock);
        this.markers = new TransactionMarkers(source.name(), dialect);
    }

    public static SourcePipeline create(SourceSettings source, IngestSettings settings, Clock clock) {
        SourceDialect dialect = switch (source.kind()) {
            case POSTGRES -> new PostgresDialect(source);
            case MYSQL, MARIADB -> new BinlogDialect(source, settings);
            case MONGODB -> new MongoDialect(source);
        };
        return new SourcePipeline(source, settings, dialect, clock);
    }

    /**
     * Checks that the database is reachable and set up for capture.
     *
     * @return warnings to tell the user (never null)
     * @throws io.undercurrent.ingest.SourceException naming every problem found
     */
    public List<String> preflight() {
        return dialect.preflight();
    }

    /** Creates the change and marker topics if needed and opens a producer to them. */
    public ChangeSink openSink() throws InterruptedException {
        String topic = settings.topics().changes(source.name());
        String markerTopic = settings.topics().transactions(source.name());
        TopicCreator.ensure(settings, topic);
        TopicCreator.ensure(settings, markerTopic);
        return new KafkaChangeSink(settings, topic, markerTopic, "undercurrent-ingest-" + source.name());
    }

    public Properties engineProperties() {
        return EngineProperties.of(source, settings, dialect);
    }

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

    /** Marks what Kafka acknowledged since the last batch, so an idle source's committed position moves too. */
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
