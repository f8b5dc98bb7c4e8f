package io.undercurrent.ingest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes changes from a Debezium task's queue the moment they are queued and hands them to the engine
 * in batches of whatever queued meanwhile.
 *
 * <p>Debezium's change queue returns a batch only once it holds {@code max.batch.size} changes or
 * {@code poll.interval.ms} has passed since the poll began, so below that rate every change waits for
 * the rest of the interval (about 3 ms at the 5 ms default; measured, the larger half of commit →
 * captured). With {@code max.batch.size=1} the queue returns as soon as it holds one change. This
 * class's thread polls it that way without pause, into a bounded buffer; the engine's thread takes the
 * first change as soon as there is one and everything buffered behind it, up to the batch size, so a
 * burst still travels in large batches and the engine's per-batch work is not paid per change.
 *
 * <p>Order is kept (one thread fills the buffer, one empties it). A change taken from Debezium's queue
 * and not yet handed over when the task stops was never marked processed, so it is read again after
 * the restart, like any change after the last committed position.
 */
final class Handover {

    /** The connector property naming the most changes handed over in one batch. */
    static final String MAX_BATCH_PROPERTY = "undercurrent.handover.max.batch";

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    /** One poll of Debezium's queue: returns a change as soon as one is queued, or nothing after its interval. */
    @FunctionalInterface
    interface Source {
        List<SourceRecord> poll() throws InterruptedException;
    }

    private final Source source;
    private final int maxBatch;
    private final long waitNanos;
    private final LinkedBlockingQueue<SourceRecord> buffer;
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    /**
     * @param maxBatch most changes handed over in one batch; also bounds the buffer (twice that)
     * @param wait     longest {@link #take()} waits for a first change before it returns an empty batch, so
     *                 the engine's loop turns over when the source is idle (it commits offsets between polls)
     */
    private Handover(String name, Source source, int maxBatch, Duration wait) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.source = source;
        this.maxBatch = maxBatch;
        this.waitNanos = wait.toNanos();
        this.buffer = new LinkedBlockingQueue<>(Math.max(2, maxBatch * 2));
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    static Handover start(String name, Source source, int maxBatch, Duration wait) {
        Handover handover = new Handover(name, source, maxBatch, wait);
        handover.thread.start();
        return handover;
    }

    private void run() {
        try {
            while (!stopping) {
                for (SourceRecord record : source.poll()) {
                    buffer.put(record);
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts a poll or a full buffer's wait
        } catch (RuntimeException e) {
            // The task's own failure (connection lost, bad configuration...): the engine's thread
            // rethrows it from take(), where Debezium expects it, and the engine restarts the source.
            if (!stopping) {
                failure = e;
            }
        }
    }

    /**
     * The next batch: waits up to the configured wait for a first change, then adds whatever is buffered
     * behind it, up to the batch size. Empty when nothing came.
     *
     * @throws RuntimeException the failure that stopped the polling thread
     */
    List<SourceRecord> take() throws InterruptedException {
        throwIfFailed();
        SourceRecord first = buffer.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (first == null) {
            throwIfFailed();
            return List.of();
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(maxBatch, buffer.size() + 1));
        batch.add(first);
        buffer.drainTo(batch, maxBatch - 1);
        return batch;
    }

    private void throwIfFailed() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }

    /** Changes taken from Debezium's queue and not yet handed over. */
    int buffered() {
        return buffer.size();
    }

    boolean polling() {
        return thread.isAlive();
    }

    /** Stops the polling thread, waiting for it a bounded time. */
    void stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("thread {} did not stop within 5 s; leaving it (daemon)", thread.getName());
        }
    }
}
