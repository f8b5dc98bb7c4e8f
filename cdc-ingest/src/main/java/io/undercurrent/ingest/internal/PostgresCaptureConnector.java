package io.undercurrent.ingest.internal;

import io.debezium.connector.postgresql.PostgresConnector;
import org.apache.kafka.connect.connector.Task;

/** Debezium's Postgres connector with {@link PostgresCaptureTask} as its task. Public: the engine loads it by class name. */
public final class PostgresCaptureConnector extends PostgresConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresCaptureTask.class;
    }
}
