package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The deployment's Kafka client properties reach every Kafka client ingest opens; Undercurrent's own keys win. */
class KafkaPropertiesPassThroughTest {

    private static final Map<String, String> SECURITY =
            Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "acks", "0");
    private static final IngestSettings SETTINGS = IngestSettings.builder("k:9092", new Topics("t"))
            .kafkaOverrides(SECURITY)
            .build();

    @Test
    void theProducerAndTheAdminClientGetThem() {
        Map<String, Object> producer = KafkaChangeSink.producerConfig(SETTINGS, "undercurrent-ingest-app");
        assertThat(producer)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .as("the guarantee Undercurrent relies on is its own")
                .containsEntry("acks", "all");
        assertThat(TopicCreator.adminConfig(SETTINGS))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "k:9092");
    }

    @Test
    void debeziumsOffsetStoreAndSchemaHistoryGetThem() {
        SourceSettings postgres =
                new SourceSettings("app", SourceKind.POSTGRES, "db", 5432, "app", "u", "p", List.of(), Map.of());
        Properties engine = EngineProperties.of(postgres, SETTINGS, new PostgresDialect(postgres));
        assertThat(engine)
                .as("the offset store reads the engine's top-level Kafka properties")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");

        SourceSettings mysql =
                new SourceSettings("shop", SourceKind.MYSQL, "db", 3306, "shop", "u", "p", List.of(), Map.of());
        Properties binlog = new BinlogDialect(mysql, SETTINGS).connectorProperties();
        assertThat(binlog)
                .containsEntry("schema.history.internal.producer.security.protocol", "SASL_SSL")
                .containsEntry("schema.history.internal.consumer.security.protocol", "SASL_SSL");
    }
}
