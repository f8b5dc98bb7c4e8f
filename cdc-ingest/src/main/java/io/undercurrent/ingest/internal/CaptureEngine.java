package io.undercurrent.ingest.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One run of a source's capture: from the source's last committed position until it stops. Debezium
 * implements it ({@link DebeziumCaptureEngines}); tests use an in-memory fake. The engine reads on its
 * own thread and hands each batch to the handler, which marks what Kafka acknowledged processed; the
 * engine commits those positions, and a new engine starts after the last one committed.
 */
interface CaptureEngine {

    /**
     * Starts reading; returns at once. Tells the listener once it streams and once it stopped, from any
     * thread.
     */
    void start(DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler, Listener listener);

    /**
     * Stops reading and commits the positions the handler marked processed; bounded in time. The
     * listener may still hear {@link Listener#stopped} afterwards.
     */
    void close();

    /** What an engine tells its owner; called from the engine's threads. */
    interface Listener {

        /** The engine is connected and streams changes. */
        void running();

        /**
         * The engine stopped: on request, or by itself. {@code error} is null when it stopped without
         * one (then {@code message} says why).
         */
        void stopped(String message, Throwable error);
    }
}
