package io.undercurrent.ingest.internal;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.TransactionMarker;
import io.undercurrent.change.Watermark;
import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes change events to the source's change topic, keyed by table + primary key so each row's
 * changes stay in one partition in commit order. Idempotent producer with {@code acks=all}: a retry
 * after a lost acknowledgement never writes a duplicate or reorders a key.
 *
 * <p>The first send that fails stops the sink for good: the producer is closed at once from the
 * failing send's callback, which aborts every later send still waiting, and every publish after it
 * fails without reaching Kafka. Otherwise a later change could be written while an earlier one was
 * not (the producer adjusts its sequence numbers past a failed batch), and the source's replay of
 * the earlier change would arrive behind the later one, where edges drop it as already seen by its
 * source order. The source restarts from its last committed position with a new sink.
 *
 * <p>Each record of the change topic Kafka acknowledged is offered, from the producer's callback, to
 * a router in this process ({@link LocalChanges}), which then need not wait for its consumer.
 */
public final class KafkaChangeSink implements ChangeSink {

    private final Producer<byte[], byte[]> producer;
    private static final List<Header> WATERMARK_HEADERS = List.of(new RecordHeader(Watermark.HEADER, new byte[] {'1'}));

    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final String topic;
    private final String markerTopic;
    private final AtomicReference<Exception> stopped = new AtomicReference<>();
    private final LocalChanges local;

    /**
     * @param topic       the change topic
     * @param markerTopic the topic of transaction end markers
     */
    public KafkaChangeSink(IngestSettings settings, String topic, String markerTopic, String clientId) {
        this(settings, topic, markerTopic, clientId, LocalChanges.NONE);
    }

    /**
     * @param topic       the change topic
     * @param markerTopic the topic of transaction end markers
     * @param local       offered each record of the change topic once Kafka acknowledged it (a router in
     *                    this process), or {@link LocalChanges#NONE}
     */
    public KafkaChangeSink(
            IngestSettings settings, String topic, String markerTopic, String clientId, LocalChanges local) {
        this(producer(settings, clientId), topic, markerTopic, local);
    }

    KafkaChangeSink(Producer<byte[], byte[]> producer, String topic, String markerTopic) {
        this(producer, topic, markerTopic, LocalChanges.NONE);
    }

    KafkaChangeSink(Producer<byte[], byte[]> producer, String topic, String markerTopic, LocalChanges local) {
        this.producer = producer;
        this.topic = topic;
        this.markerTopic = markerTopic;
        this.local = local;
    }

    private static Producer<byte[], byte[]> producer(IngestSettings settings, String clientId) {
        return new KafkaProducer<>(
                producerConfig(settings, clientId), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The deployment's Kafka client properties (TLS, SASL...) first: every key Undercurrent sets after them wins. */
    static Map<String, Object> producerConfig(IngestSettings settings, String clientId) {
        Map<String, Object> config = new HashMap<>(settings.kafkaOverrides());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression().kafkaName());
        // A Kafka outage fails the batch after this long; the source then restarts from its last
        // committed position, so the bound trades nothing but how soon the outage is reported.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return config;
    }

    @Override
    public CompletableFuture<Void> publish(ChangeEvent event) {
        CompletableFuture<Void> done =
                send(new ProducerRecord<>(topic, codec.encodeKey(event.table(), event.key()), codec.encode(event)));
        if (ChangeStage.recording()) {
            done.thenRun(
                    () -> ChangeStage.reached(ChangeStage.INGEST_ACKNOWLEDGED, event.txId(), event.commitTimeMs()));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> publishMarker(TransactionMarker marker) {
        return send(new ProducerRecord<>(
                markerTopic,
                marker.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                codec.encodeMarker(marker)));
    }

    /**
     * One record per partition of the change topic, each behind the changes sent to that partition
     * before it (one producer, idempotent: per-partition order holds across retries).
     */
    @Override
    public CompletableFuture<Void> publishWatermark(Watermark watermark) {
        byte[] value = codec.encodeWatermark(watermark);
        List<PartitionInfo> partitions;
        try {
            partitions = producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            stop(e);
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>(partitions.size());
        for (PartitionInfo partition : partitions) {
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, partition.partition(), null, null, value, WATERMARK_HEADERS);
            sends.add(send(record));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        Exception failure = stopped.get();
        if (failure != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "not sent: an earlier change failed to publish, so this sink stopped to keep the topic in source order",
                    failure));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Transaction markers go to their own topic, which no router routes.
        boolean offered = record.topic().equals(topic);
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    try {
                        if (offered) {
                            local.offer(record, metadata); // first: the router may route it at once
                        }
                    } finally {
                        done.complete(null);
                    }
                } else {
                    stop(error);
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            stop(e);
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Called on the producer's I/O thread for a failed send: a zero timeout aborts what waits behind it. */
    private void stop(Exception error) {
        if (stopped.compareAndSet(null, error)) {
            producer.close(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        producer.close(stopped.get() == null ? Duration.ofSeconds(5) : Duration.ZERO);
    }
}
