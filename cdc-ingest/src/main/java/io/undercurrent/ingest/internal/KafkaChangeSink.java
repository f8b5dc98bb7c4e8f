package io.undercurrent.ingest.internal;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes change events to the source's change topic, keyed by table + primary key so each row's
 * changes stay in one partition in commit order. Idempotent producer with {@code acks=all}: a retry
 * after a lost acknowledgement never writes a duplicate or reorders a key.
 */
public final class KafkaChangeSink implements ChangeSink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final String topic;
    private final String markerTopic;

    /**
     * @param topic       the change topic
     * @param markerTopic the topic of transaction end markers
     */
    public KafkaChangeSink(IngestSettings settings, String topic, String markerTopic, String clientId) {
        this.topic = topic;
        this.markerTopic = markerTopic;
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression().kafkaName());
        // A Kafka outage fails the batch after this long; the source then restarts from its last
        // committed position, so the bound trades nothing but how soon the outage is reported.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> publish(ChangeEvent event) {
        CompletableFuture<Void> done = send(new ProducerRecord<>(topic, codec.encodeKey(event.table(), event.key()), codec.encode(event)));
        if (ChangeStage.recording()) {
            done.thenRun(() -> ChangeStage.reached(ChangeStage.INGEST_ACKNOWLEDGED, event.txId(), event.commitTimeMs()));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> publishMarker(TransactionMarker marker) {
        return send(new ProducerRecord<>(markerTopic, marker.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                codec.encodeMarker(marker)));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
