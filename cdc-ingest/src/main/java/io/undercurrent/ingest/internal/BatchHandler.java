package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Debezium's batches, publishes them and only then marks them processed, so the source
 * position Debezium commits never runs ahead of what Kafka holds. A failed publish fails the batch:
 * nothing of it is marked, and the engine is restarted from the last committed position.
 *
 * <p>Called by one Debezium thread per source.
 */
final class BatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchHandler.class);

    private final RecordMapper mapper;
    private final TransactionMarkers markers;
    private final ChangeSink sink;
    private final Duration publishTimeout;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    BatchHandler(RecordMapper mapper, TransactionMarkers markers, ChangeSink sink, Duration publishTimeout) {
        this.mapper = mapper;
        this.markers = markers;
        this.sink = sink;
        this.publishTimeout = publishTimeout;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<CompletableFuture<Void>> sends = new ArrayList<>(records.size());
        int changes = 0;
        for (RecordChangeEvent<SourceRecord> record : records) {
            ChangeEvent event = mapOrSkip(record.record());
            if (event != null) {
                ChangeStage.reached(ChangeStage.CAPTURED, event.txId(), event.commitTimeMs());
                sends.add(sink.publish(event));
                changes++;
            } else {
                TransactionMarker marker = markers.map(record.record());
                if (marker != null) {
                    sends.add(sink.publishMarker(marker));
                }
            }
        }
        awaitAll(sends);
        published.addAndGet(changes);
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    private ChangeEvent mapOrSkip(SourceRecord record) {
        try {
            return mapper.map(record);
        } catch (RuntimeException e) {
            // A record that cannot be mapped can never be delivered; stopping the source for it would
            // stop every other table too. It is counted and logged with where it came from.
            skipped.incrementAndGet();
            LOG.error("skipping a change that cannot be mapped (topic {}, offset {}): {}", record.topic(), record.sourceOffset(),
                    e.getMessage(), e);
            return null;
        }
    }

    private void awaitAll(List<CompletableFuture<Void>> sends) throws InterruptedException {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka did not acknowledge a batch of " + sends.size() + " changes: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge a batch of " + sends.size() + " changes within "
                    + publishTimeout.toSeconds() + " s", e);
        }
    }

    long published() {
        return published.get();
    }

    long skipped() {
        return skipped.get();
    }

    /** Publishing failed; the batch was not committed and will be read again after a restart. */
    static final class PublishFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
