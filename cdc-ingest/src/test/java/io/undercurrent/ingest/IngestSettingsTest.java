package io.undercurrent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder puts each setting it names where the record keeps it, and leaves the others at their defaults. */
class IngestSettingsTest {

    private static final Topics TOPICS = new Topics("t");

    @Test
    void eachSettingNamedLandsInItsOwnComponent() {
        // every value differs from its default and from the others of its type, so a swap shows
        IngestSettings built = IngestSettings.builder("k:9092", TOPICS)
                .changePartitions(6)
                .replicationFactor((short) 3)
                .offsetFlushInterval(Duration.ofMillis(1_001))
                .pollInterval(Duration.ofMillis(7))
                .maxBatchSize(99)
                .retryBackoff(Duration.ofMillis(501), Duration.ofSeconds(31))
                .kafkaOverrides(Map.of("security.protocol", "SSL"))
                .compression(Compression.ZSTD)
                .publishTimeout(Duration.ofSeconds(61))
                .watermarkInterval(Duration.ofMillis(101))
                .build();

        assertThat(built)
                .isEqualTo(new IngestSettings(
                        "k:9092",
                        TOPICS,
                        6,
                        (short) 3,
                        Duration.ofMillis(1_001),
                        Duration.ofMillis(7),
                        99,
                        Duration.ofMillis(501),
                        Duration.ofSeconds(31),
                        Map.of("security.protocol", "SSL"),
                        Compression.ZSTD,
                        Duration.ofSeconds(61),
                        Duration.ofMillis(101)));
    }

    @Test
    void whatIsNotNamedIsASingleNodeKafkaAndTheDeclaredDefaults() {
        assertThat(IngestSettings.singleNode("k:9092", TOPICS))
                .isEqualTo(IngestSettings.builder("k:9092", TOPICS).build())
                .isEqualTo(new IngestSettings(
                        "k:9092",
                        TOPICS,
                        1,
                        (short) 1,
                        IngestSettingDeclarations.OFFSET_FLUSH.defaultValue(),
                        IngestSettingDeclarations.POLL_INTERVAL.defaultValue(),
                        IngestSettingDeclarations.MAX_BATCH.defaultValue(),
                        IngestSettingDeclarations.RETRY_BACKOFF.defaultValue(),
                        IngestSettingDeclarations.RETRY_BACKOFF_MAX.defaultValue(),
                        Map.of(),
                        IngestSettingDeclarations.COMPRESSION.defaultValue(),
                        IngestSettingDeclarations.PUBLISH_TIMEOUT.defaultValue(),
                        IngestSettingDeclarations.WATERMARK_INTERVAL.defaultValue()));
    }
}
