package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How the engine is told to batch: Postgres hands each change over at once and batches after Debezium's queue. */
class EnginePropertiesTest {

    private static final IngestSettings SETTINGS = IngestSettings.builder("k:9092", new Topics("t"))
            .pollInterval(Duration.ofMillis(5))
            .maxBatchSize(512)
            .build();

    @Test
    void postgresTakesEachChangeFromDebeziumsQueueAtOnceAndBatchesInItsTask() {
        SourceSettings postgres =
                new SourceSettings("app", SourceKind.POSTGRES, "db", 5432, "app", "u", "p", List.of(), Map.of());

        Properties engine = EngineProperties.of(postgres, SETTINGS, new PostgresDialect(postgres));

        assertThat(engine)
                .containsEntry("connector.class", PostgresCaptureConnector.class.getName())
                .containsEntry("max.batch.size", "1")
                .containsEntry(Handover.MAX_BATCH_PROPERTY, "512")
                .containsEntry("poll.interval.ms", "5");
        assertThat(Integer.parseInt(engine.getProperty("max.queue.size"))).isGreaterThan(1);
    }

    @Test
    void otherSourcesBatchInDebeziumsQueue() {
        SourceSettings mysql =
                new SourceSettings("shop", SourceKind.MYSQL, "db", 3306, "shop", "u", "p", List.of(), Map.of());

        Properties engine = EngineProperties.of(mysql, SETTINGS, new BinlogDialect(mysql, SETTINGS));

        assertThat(engine).containsEntry("max.batch.size", "512").doesNotContainKey(Handover.MAX_BATCH_PROPERTY);
    }
}
