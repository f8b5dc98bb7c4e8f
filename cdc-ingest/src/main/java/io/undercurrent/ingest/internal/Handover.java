package io.undercurrent.ingest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * burst still travels in large batches and the engine's per-batch work is not paid per change. When the
 * engine keeps up with a stream (each change right behind the last batch), it pauses once per batch so
 * the stream gathers ({@link #inAStream}); a change after a quiet moment goes at once.
 *
 * <p>Order is kept (one thread fills the buffer, one empties it). A change taken from Debezium's queue
 * and not yet handed over when the task stops was never marked processed, so it is read again after
 * the restart, like any change after the last committed position.
 */
final class Handover {

    /** The connector property naming the most changes handed over in one batch. */
    static final String MAX_BATCH_PROPERTY = "undercurrent.handover.max.batch";

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    /** A poll that took longer than this waited for its change: the queue had been empty. */
    static final long WAITED_NANOS = 50_000;

    /** How long changes may queue up while the engine is busy, before this thread takes them. */
    static final long LINGER_NANOS = 200_000;

    /** Where in a millisecond a poll of an idle queue starts (see {@link #startLateInTheMillisecond()}). */
    static final long LATE_IN_THE_MILLISECOND_NANOS = 800_000;

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
    /** The engine's thread waits in {@link #take()} for a first change. */
    private volatile boolean engineWaiting;
    /** When {@link #take()} last returned a batch (engine's thread only). */
    private long lastTakeNanos = Long.MIN_VALUE / 2;

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
                long began = System.nanoTime();
                List<SourceRecord> records = source.poll();
                if (records.isEmpty()) {
                    startLateInTheMillisecond();
                    continue;
                }
                for (SourceRecord record : records) {
                    buffer.put(record);
                }
                if (!engineWaiting && System.nanoTime() - began > WAITED_NANOS) {
                    // The change had to be waited for and the engine is not waiting (busy with a batch,
                    // or, most often, already woken by this change): pause before the next poll so what
                    // follows queues up and travels as one batch, e.g. a transaction's rows and end
                    // marker behind its begin marker, instead of waking this thread (and the one
                    // queueing) per change and publishing each alone. Measured end to end at 500
                    // changes/s, the Kafka hops were faster with the pause than without it (more
                    // requests of one change each); a change right behind waits up to the pause.
                    LockSupport.parkNanos(LINGER_NANOS);
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
     * Pauses until late in the current millisecond of the wall clock before the next poll of an idle
     * queue. Debezium's queue times its interval in whole milliseconds of the wall clock and, when its
     * wait ends inside the interval's last millisecond, polls in a busy loop until the clock ticks over.
     * A poll that follows an empty one starts just after a tick, so that loop took nearly a millisecond
     * of a core per interval when idle (about a sixth of a core at the 5 ms default). Started late in a
     * millisecond, the interval's wait ends at or just before the tick and the poll spins little or not
     * at all. Not later than 0.8 ms in: waking from the pause and starting the poll take up to a tenth of
     * a millisecond or so, and a poll that starts after the tick spins a whole millisecond (measured: an
     * idle queue polled this way costs 2-4 % of a core instead of 11-12 %). A change queued meanwhile
     * waits at most this pause.
     */
    private static void startLateInTheMillisecond() {
        long pause = pauseBeforeIdlePoll(Instant.now().getNano() % 1_000_000);
        if (pause > 0) {
            LockSupport.parkNanos(pause);
        }
    }

    /** Nanoseconds to pause, {@code nanosIntoMillisecond} after the wall clock's last tick. */
    static long pauseBeforeIdlePoll(long nanosIntoMillisecond) {
        return Math.max(0, LATE_IN_THE_MILLISECOND_NANOS - nanosIntoMillisecond);
    }

    /**
     * The next batch: waits up to the configured wait for a first change, then adds whatever is buffered
     * behind it, up to the batch size. Empty when nothing came.
     *
     * @throws RuntimeException the failure that stopped the polling thread
     */
    List<SourceRecord> take() throws InterruptedException {
        throwIfFailed();
        long entered = System.nanoTime();
        SourceRecord first = buffer.poll();
        long waited = 0;
        if (first == null) {
            engineWaiting = true;
            try {
                first = buffer.poll(waitNanos, TimeUnit.NANOSECONDS);
            } finally {
                engineWaiting = false;
            }
            waited = System.nanoTime() - entered;
        }
        if (first == null) {
            throwIfFailed();
            return List.of();
        }
        if (inAStream(entered - lastTakeNanos, waited)) {
            // Changes follow each other faster than the engine hands them on (a bulk): gather what
            // queues in the next moment instead of taking them one by one. Debezium's engine hands
            // every change of a batch to its record threads and waits for them, so a batch of one
            // costs those threads and this one a wake-up each; measured on a bulk of 100,000 rows,
            // batches of one or two cost a sixth of the throughput. One pause, not a wait per change.
            LockSupport.parkNanos(LINGER_NANOS);
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(maxBatch, buffer.size() + 1));
        batch.add(first);
        buffer.drainTo(batch, maxBatch - 1);
        lastTakeNanos = System.nanoTime();
        return batch;
    }

    /**
     * Whether a change is part of a stream to gather a batch from: the engine came back for it within
     * {@link #LINGER_NANOS} of its last batch and found it there or waited less than
     * {@link #WAITED_NANOS} for it. A change after a quiet moment (a lone transaction at hundreds of
     * changes per second) is handed over at once.
     *
     * @param sinceLastTake nanoseconds from the end of the engine's last take to the start of this one
     * @param waited        nanoseconds this take waited for its first change (0: it was there)
     */
    static boolean inAStream(long sinceLastTake, long waited) {
        return sinceLastTake < LINGER_NANOS && waited < WAITED_NANOS;
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
