package io.undercurrent.ingest.internal;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's Postgres task, polled through a {@link Handover} so a captured change reaches ingest's
 * handler as soon as Debezium has queued it instead of at the end of the poll interval. Runs with
 * {@code max.batch.size=1} (set by {@link EngineProperties}); the batch size ingest asked for goes to
 * the handover as {@link Handover#MAX_BATCH_PROPERTY}.
 *
 * <p>Public with a no-argument constructor: the engine instantiates it by class.
 */
public final class PostgresCaptureTask extends PostgresConnectorTask {

    private int maxBatch;
    private Duration wait;
    private String name;
    private boolean stopped;
    private volatile Handover handover;

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        synchronized (this) {
            maxBatch = config.getInteger(Handover.MAX_BATCH_PROPERTY, 2048);
            wait = Duration.ofMillis(config.getLong("poll.interval.ms", 500L));
            name = "ingest-" + config.getString("topic.prefix", "postgres") + "-handover";
            stopped = false;
        }
        return super.start(config);
    }

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        Handover current = handover;
        if (current == null) {
            current = startHandover();
            if (current == null) {
                return List.of();
            }
        }
        return current.take();
    }

    /** Started at the first poll, when the task has started: only then may its queue be polled. */
    private synchronized Handover startHandover() {
        if (stopped) {
            return null;
        }
        if (handover == null) {
            handover = Handover.start(name, super::doPoll, maxBatch, wait);
        }
        return handover;
    }

    @Override
    protected void doStop() {
        Handover current;
        synchronized (this) {
            stopped = true;
            current = handover;
            handover = null;
        }
        if (current != null) {
            current.stop();
        }
        super.doStop();
    }
}
