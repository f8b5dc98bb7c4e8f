package io.undercurrent.ingest.internal;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.ingest.spi.ChangeSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Kafka for the ingest loop's tests: acknowledges each change at once, or holds acknowledgements
 * until the test gives them ({@link #hold}), or fails them. Like {@code KafkaChangeSink}, the first
 * failure stops it for good: every change after it fails without being stored, so what it holds is
 * always a prefix of what it was given. Thread-safe.
 */
final class MemoryChangeSink implements ChangeSink {

    private record Pending(ChangeEvent event, CompletableFuture<Void> done) {}

    private final List<ChangeEvent> stored = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private boolean holding;
    private RuntimeException stoppedBy;
    private boolean closed;

    /** Acknowledgements wait for {@link #acknowledge} or {@link #fail} from now on. */
    synchronized MemoryChangeSink hold() {
        holding = true;
        return this;
    }

    @Override
    public synchronized CompletableFuture<Void> publish(ChangeEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("sink closed"));
        }
        if (stoppedBy != null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("not sent: an earlier change failed", stoppedBy));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (holding) {
            pending.add(new Pending(event, done));
        } else {
            stored.add(event);
            done.complete(null);
        }
        return done;
    }

    /** Acknowledges the oldest {@code count} changes waiting. */
    void acknowledge(int count) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < count && !pending.isEmpty(); i++) {
                Pending p = pending.remove(0);
                stored.add(p.event());
                done.add(p.done());
            }
        }
        done.forEach(f -> f.complete(null)); // outside the lock, as the producer's I/O thread would
    }

    void acknowledgeAll() {
        acknowledge(Integer.MAX_VALUE);
    }

    /** Fails every change waiting, and stops the sink: later changes fail too. */
    void fail(RuntimeException error) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (this) {
            stoppedBy = error;
            pending.forEach(p -> failed.add(p.done()));
            pending.clear();
        }
        failed.forEach(f -> f.completeExceptionally(error));
    }

    /** The changes stored (acknowledged), in order. */
    synchronized List<ChangeEvent> stored() {
        return List.copyOf(stored);
    }

    synchronized int waiting() {
        return pending.size();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Like a producer closed without waiting: what waits is not stored. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> aborted = new ArrayList<>();
        synchronized (this) {
            closed = true;
            pending.forEach(p -> aborted.add(p.done()));
            pending.clear();
        }
        aborted.forEach(f -> f.completeExceptionally(new IllegalStateException("sink closed")));
    }
}
