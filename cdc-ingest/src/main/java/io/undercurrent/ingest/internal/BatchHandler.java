package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.Watermark;
import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives Debezium's batches and publishes them, and marks a batch processed only once Kafka has
 * acknowledged it and every batch before it, so the source position Debezium commits never runs
 * ahead of what Kafka holds.
 *
 * <p>Publishing is pipelined: a batch is handed to Kafka and the handler returns at once, so
 * Debezium reads on while Kafka acknowledges (waiting for each batch would put a Kafka round trip
 * into the cadence at which changes leave the database). Acknowledged batches are marked at the
 * next batch, by {@link #markAcknowledged()} between batches (the owner calls it periodically, so
 * an idle source's position still moves), and by {@link #drain} before a clean stop. At most
 * {@code maxInFlight} changes wait for acknowledgement; past that the handler waits for the oldest.
 * A failed publish is never marked: the next batch fails with it, before anything of that batch is
 * published, and the engine restarts from the last committed position.
 *
 * <p>Called by one Debezium thread per source; {@link #markAcknowledged()} and {@link #drain} may be
 * called from any thread. One lock keeps every use of Debezium's committer, which is not
 * thread-safe, to one thread at a time.
 */
final class BatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchHandler.class);

    private record Batch(
            List<RecordChangeEvent<SourceRecord>> records, CompletableFuture<Void> acknowledged, int sends) {}

    private final RecordMapper mapper;
    private final TransactionMarkers markers;
    private final ChangeSink sink;
    private final Duration publishTimeout;
    private final int maxInFlight;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** Batches published, not yet marked processed, oldest first. Guarded by {@link #lock}. */
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();

    private int inFlightRecords;
    private DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;

    /**
     * @param publishTimeout longest wait for Kafka to acknowledge the oldest batch when the handler must wait
     * @param maxInFlight    records published and not yet acknowledged before the handler waits
     */
    BatchHandler(
            RecordMapper mapper,
            TransactionMarkers markers,
            ChangeSink sink,
            Duration publishTimeout,
            int maxInFlight) {
        this.mapper = mapper;
        this.markers = markers;
        this.sink = sink;
        this.publishTimeout = publishTimeout;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            this.committer = committer;
            markDone(); // a batch that failed fails this one, before anything of it is published
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
                    } else {
                        // In stream order: every change before it in the source's log was handed to the sink.
                        Watermark watermark = mapper.watermark(record.record());
                        if (watermark != null) {
                            sends.add(sink.publishWatermark(watermark));
                        }
                    }
                }
            }
            CompletableFuture<Void> acknowledged = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
            int count = changes;
            acknowledged.thenRun(() -> published.addAndGet(count));
            inFlight.add(new Batch(records, acknowledged, sends.size()));
            inFlightRecords += records.size();
            while (inFlightRecords > maxInFlight) {
                awaitOldest();
                markDone();
            }
            markDone();
            committer.markBatchFinished();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the acknowledged batches at the head of the queue processed, without waiting; Debezium
     * then commits their positions at its next offset flush. A failed batch stays, for the next
     * {@link #handleBatch} to fail on too.
     *
     * @throws PublishFailedException when Kafka refused the oldest batch not yet marked: the owner stops
     *     capture at once rather than waiting for a next batch that an idle source may never send
     */
    void markAcknowledged() throws InterruptedException {
        if (!lock.tryLock()) {
            return; // the engine is handling a batch, which marks what is acknowledged
        }
        try {
            if (committer == null) {
                return;
            }
            PublishFailedException failed = null;
            try {
                markDone();
            } catch (PublishFailedException e) {
                failed = e;
            }
            committer.markBatchFinished();
            if (failed != null) {
                throw failed;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for Kafka to acknowledge every batch in flight and marks them, so
     * a clean stop commits everything published and a restart replays nothing. Call before the
     * engine stops; what is not acknowledged in time is replayed after the restart.
     */
    void drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        try {
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                try {
                    inFlight.peek().acknowledged().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    break;
                }
                markDoneQuietly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks the acknowledged head batches; throws when the head failed. Holds the lock. */
    private void markDone() throws InterruptedException {
        Batch head;
        while ((head = inFlight.peek()) != null && head.acknowledged().isDone()) {
            try {
                head.acknowledged().getNow(null);
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new PublishFailedException(
                        "Kafka did not acknowledge a batch of " + head.sends() + " changes: " + cause.getMessage(),
                        cause);
            }
            inFlight.poll();
            inFlightRecords -= head.records().size();
            for (RecordChangeEvent<SourceRecord> record : head.records()) {
                committer.markProcessed(record);
            }
        }
    }

    /** {@link #markDone()} for callers outside the engine: a failure is left for the next batch to report. */
    private boolean markDoneQuietly() throws InterruptedException {
        if (committer == null) {
            return false;
        }
        try {
            markDone();
        } catch (PublishFailedException e) {
            LOG.debug("a batch failed to publish; the next batch restarts the source: {}", e.getMessage());
        }
        return true;
    }

    private void awaitOldest() throws InterruptedException {
        Batch head = inFlight.peek();
        try {
            head.acknowledged().get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // markDone reports it
        } catch (TimeoutException e) {
            throw new PublishFailedException(
                    "Kafka did not acknowledge a batch of " + head.sends() + " changes within "
                            + publishTimeout.toSeconds() + " s",
                    e);
        }
    }

    private ChangeEvent mapOrSkip(SourceRecord record) {
        try {
            return mapper.map(record);
        } catch (RuntimeException e) {
            // A record that cannot be mapped can never be delivered; stopping the source for it would
            // stop every other table too. It is counted and logged with where it came from.
            skipped.incrementAndGet();
            LOG.error(
                    "skipping a change that cannot be mapped (topic {}, offset {}): {}",
                    record.topic(),
                    record.sourceOffset(),
                    e.getMessage(),
                    e);
            return null;
        }
    }

    /** Changes Kafka acknowledged. */
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
