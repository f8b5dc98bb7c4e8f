package io.undercurrent.ingest.bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The baseline: Debezium Embedded with the same connector and engine settings, writing every record
 * as Debezium's own JSON (no canonical mapping) with the same producer settings, acknowledged before
 * it is marked processed.
 */
final class PlainDebezium implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final JsonConverter keys = new JsonConverter();
    private final JsonConverter values = new JsonConverter();
    private final AtomicLong rowChanges = new AtomicLong();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    PlainDebezium(Properties engineProperties, String bootstrap, String topic) {
        keys.configure(Map.of("schemas.enable", "false"), true);
        values.configure(Map.of("schemas.enable", "false"), false);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties)
                .notifying((records, committer) -> {
                    List<CompletableFuture<Void>> sends = new ArrayList<>(records.size());
                    long rows = 0;
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        SourceRecord record = r.record();
                        byte[] key = keys.fromConnectData(record.topic(), record.keySchema(), record.key());
                        byte[] value = values.fromConnectData(record.topic(), record.valueSchema(), record.value());
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        producer.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
                            if (e == null) {
                                done.complete(null);
                            } else {
                                done.completeExceptionally(e);
                            }
                        });
                        sends.add(done);
                        if (record.topic().split("\\.").length >= 3
                                && record.value() != null
                                && !record.topic().endsWith(".transaction")) {
                            rows++;
                        }
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                            .join();
                    rowChanges.addAndGet(rows);
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                })
                .build();
        thread.execute(engine);
    }

    /** Row changes acknowledged by Kafka. */
    long published() {
        return rowChanges.get();
    }

    @Override
    public void close() throws Exception {
        engine.close();
        thread.shutdown();
        thread.awaitTermination(15, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
