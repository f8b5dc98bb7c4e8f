package io.undercurrent.ingest.internal;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceSettings;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium Embedded engines for one source, run one at a time on the source's engine thread. Each
 * engine resumes from the offsets stored in Kafka ({@link EngineProperties}).
 */
final class DebeziumCaptureEngines implements CaptureEngines {

    private static final Logger LOG = LoggerFactory.getLogger(DebeziumCaptureEngines.class);
    /** How long a stopping engine may take to return its thread before it is abandoned. */
    private static final long STOP_WAIT_SECONDS = 15;

    private final SourceSettings source;
    private final SourceDialect dialect;
    private final Properties properties;
    private final ExecutorService engineThread;

    DebeziumCaptureEngines(SourceSettings source, IngestSettings settings, SourceDialect dialect) {
        this.source = source;
        this.dialect = dialect;
        this.properties = EngineProperties.of(source, settings, dialect);
        this.engineThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-" + source.name());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<String> preflight() {
        return dialect.preflight();
    }

    @Override
    public CaptureEngine create() {
        return new Engine();
    }

    @Override
    public void close() {
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn(
                        "source '{}' engine thread still running after {} s; abandoning it",
                        source.name(),
                        STOP_WAIT_SECONDS);
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One Debezium engine; DebeziumEngine.create picks the asynchronous engine by default. */
    private final class Engine implements CaptureEngine {

        private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

        @Override
        public void start(DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler, Listener listener) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine.create(
                            ChangeEventFormat.of(Connect.class))
                    .using(properties)
                    .notifying(handler)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            listener.running();
                        }
                    })
                    .using((success, message, error) -> {
                        engine = null; // stopped: nothing left to close
                        listener.stopped(message, error);
                    })
                    .build();
            engine = created;
            engineThread.execute(created);
        }

        @Override
        public void close() {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
            engine = null;
            if (running == null) {
                return;
            }
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("source '{}' did not stop cleanly: {}", source.name(), e.getMessage());
            }
        }
    }
}
