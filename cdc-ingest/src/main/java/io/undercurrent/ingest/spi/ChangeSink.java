package io.undercurrent.ingest.spi;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.Watermark;
import java.util.concurrent.CompletableFuture;

/**
 * Where ingest sends change events. The returned future completes when the event is durably stored
 * (for Kafka: acknowledged by all in-sync replicas); ingest commits a source position only after
 * every event before it has completed, so a sink must never complete a future early.
 *
 * <p>Called from one thread per source; implementations must preserve the order of calls for events
 * with the same table and key.
 */
public interface ChangeSink extends AutoCloseable {

    CompletableFuture<Void> publish(ChangeEvent event);

    /**
     * Stores the end marker of a transaction, after every change of it was passed to {@link #publish}.
     * Sinks that do not deliver transactions whole may ignore markers (the default).
     */
    default CompletableFuture<Void> publishMarker(TransactionMarker marker) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stores a watermark behind every change passed to {@link #publish} before it, in every place
     * changes are kept in order (for Kafka: every partition of the change topic). Sinks that keep no
     * such order may ignore watermarks (the default).
     */
    default CompletableFuture<Void> publishWatermark(Watermark watermark) {
        return CompletableFuture.completedFuture(null);
    }

    /** Flushes and releases resources; bounded in time. */
    @Override
    void close();
}
