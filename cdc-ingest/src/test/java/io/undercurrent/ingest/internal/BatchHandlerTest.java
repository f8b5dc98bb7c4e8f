package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Watermark;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.spi.ChangeSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Pipelined publishing: nothing is marked processed before Kafka acknowledged it and everything before it. */
class BatchHandlerTest {

    private static final Schema ROW =
            SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema KEY =
            SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("before", ROW)
            .field("after", ROW)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private final PendingSink sink = new PendingSink();
    private final MarkingCommitter committer = new MarkingCommitter();

    private BatchHandler handler(int maxInFlight) {
        PostgresDialect dialect = new PostgresDialect(
                new SourceSettings("app", SourceKind.POSTGRES, "localhost", 5432, "db", "u", "p", List.of(), Map.of()));
        return new BatchHandler(
                new RecordMapper("app", dialect, Clock.systemUTC()),
                new TransactionMarkers("app", dialect),
                sink,
                Duration.ofSeconds(10),
                maxInFlight);
    }

    @Test
    void returnsBeforeKafkaAcknowledgesAndMarksNothingUntilItDoes() throws Exception {
        BatchHandler handler = handler(100);
        List<RecordChangeEvent<SourceRecord>> batch = List.of(change(1), change(2));

        handler.handleBatch(batch, committer);

        assertThat(sink.sent).hasSize(2);
        assertThat(committer.marked).isEmpty();
        assertThat(handler.published()).isZero();
        sink.acknowledge(0, 2);
        handler.markAcknowledged();
        assertThat(committer.marked).containsExactlyElementsOf(batch);
        assertThat(handler.published()).isEqualTo(2);
    }

    @Test
    void aWatermarkMessageIsPublishedInStreamOrderAndMarkedOnlyOnceKafkaHasIt() throws Exception {
        BatchHandler handler = handler(100);
        List<RecordChangeEvent<SourceRecord>> batch = List.of(
                change(1),
                TestChanges.message(2, "undercurrent_watermark", "731:735:733"),
                TestChanges.message(3, "undercurrent_heartbeat", "2024-05-01 12:00:00+00"),
                TestChanges.message(4, "someone_else", "731:735:733"),
                change(5));

        handler.handleBatch(batch, committer);

        assertThat(sink.published).hasSize(3);
        assertThat(sink.published.get(0)).isInstanceOf(ChangeEvent.class);
        assertThat(sink.published.get(1)).isInstanceOfSatisfying(Watermark.class, w -> {
            assertThat(w.source()).isEqualTo("app");
            assertThat(w.point()).isEqualTo("731:735:733");
        });
        assertThat(sink.published.get(2)).isInstanceOf(ChangeEvent.class);
        sink.acknowledge(0, 1);
        handler.markAcknowledged();
        assertThat(committer.marked).isEmpty();
        sink.acknowledge(1, 3);
        handler.markAcknowledged();
        assertThat(committer.marked).containsExactlyElementsOf(batch);
        assertThat(handler.published()).as("watermarks are no changes").isEqualTo(2);
    }

    @Test
    void aLaterBatchAcknowledgedFirstWaitsForTheOneBeforeIt() throws Exception {
        BatchHandler handler = handler(100);
        RecordChangeEvent<SourceRecord> first = change(1);
        RecordChangeEvent<SourceRecord> second = change(2);
        handler.handleBatch(List.of(first), committer);
        handler.handleBatch(List.of(second), committer);

        sink.acknowledge(1, 2);
        handler.markAcknowledged();
        assertThat(committer.marked).isEmpty();

        sink.acknowledge(0, 1);
        handler.markAcknowledged();
        assertThat(committer.marked).containsExactly(first, second);
    }

    @Test
    void aFailedBatchIsNeverMarkedAndTheNextBatchFailsBeforePublishingAnything() throws Exception {
        BatchHandler handler = handler(100);
        handler.handleBatch(List.of(change(1)), committer);
        sink.fail(0, new IllegalStateException("broker gone"));

        assertThatThrownBy(handler::markAcknowledged)
                .as("marking between batches reports the failure, so capture stops without waiting for a batch")
                .isInstanceOf(BatchHandler.PublishFailedException.class)
                .hasMessageContaining("broker gone");
        assertThatThrownBy(() -> handler.handleBatch(List.of(change(2)), committer))
                .isInstanceOf(BatchHandler.PublishFailedException.class)
                .hasMessageContaining("broker gone");
        assertThat(sink.sent).hasSize(1);
        assertThat(committer.marked).isEmpty();
    }

    @Test
    void waitsForTheOldestBatchOnceTooManyChangesAreUnacknowledged() throws Exception {
        BatchHandler handler = handler(2);
        handler.handleBatch(List.of(change(1), change(2)), committer);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread engine = new Thread(() -> {
            try {
                handler.handleBatch(List.of(change(3)), committer);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        engine.start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> sink.sent.size() == 3
                        && (engine.getState() == Thread.State.WAITING
                                || engine.getState() == Thread.State.TIMED_WAITING));
        assertThat(engine.isAlive()).isTrue();
        assertThat(committer.marked).isEmpty();

        sink.acknowledge(0, 2);
        engine.join(10_000);
        assertThat(engine.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(committer.marked).hasSize(2);
    }

    @Test
    void aChangeThatCannotBeMappedIsSkippedCountedAndMarkedWithItsBatch() throws Exception {
        BatchHandler handler = handler(100);
        RecordChangeEvent<SourceRecord> keyless = keyless(1);
        RecordChangeEvent<SourceRecord> good = change(2);

        handler.handleBatch(List.of(keyless, good), committer);
        sink.acknowledge(0, 1);
        handler.markAcknowledged();

        assertThat(sink.sent).as("only the mappable change is published").hasSize(1);
        assertThat(handler.skipped()).isEqualTo(1);
        assertThat(handler.published()).isEqualTo(1);
        assertThat(committer.marked).containsExactly(keyless, good);
    }

    @Test
    void drainMarksEverythingKafkaAcknowledgesInTime() throws Exception {
        BatchHandler handler = handler(100);
        handler.handleBatch(List.of(change(1)), committer);
        handler.handleBatch(List.of(change(2)), committer);
        sink.acknowledge(0, 1);
        CompletableFuture.runAsync(() -> sink.acknowledge(1, 2));

        handler.drain(Duration.ofSeconds(10));

        assertThat(committer.marked).hasSize(2);
    }

    private static RecordChangeEvent<SourceRecord> change(long id) {
        Struct source = new Struct(SOURCE)
                .put("schema", "public")
                .put("table", "todos")
                .put("txId", 700L + id)
                .put("lsn", 4000L + id)
                .put("ts_ms", 1_700_000_000_000L);
        Struct envelope = new Struct(ENVELOPE)
                .put("after", new Struct(ROW).put("id", id))
                .put("source", source)
                .put("op", "c");
        SourceRecord record = new SourceRecord(
                Map.of(),
                Map.of("lsn", 4000L + id),
                "app.public.todos",
                KEY,
                new Struct(KEY).put("id", id),
                ENVELOPE,
                envelope);
        return () -> record;
    }

    /** A change of a table without a primary key: it can never be addressed, so it cannot be mapped. */
    private static RecordChangeEvent<SourceRecord> keyless(long id) {
        SourceRecord record = change(id).record();
        SourceRecord withoutKey = new SourceRecord(
                record.sourcePartition(),
                record.sourceOffset(),
                record.topic(),
                null,
                null,
                record.valueSchema(),
                record.value());
        return () -> withoutKey;
    }

    /** A sink whose acknowledgements the test gives, one future per publish in order. */
    private static final class PendingSink implements ChangeSink {
        final List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
        /** What was published, in order: changes and watermarks. */
        final List<Object> published = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> publish(ChangeEvent event) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            sent.add(f);
            published.add(event);
            return f;
        }

        @Override
        public CompletableFuture<Void> publishWatermark(Watermark watermark) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            sent.add(f);
            published.add(watermark);
            return f;
        }

        void acknowledge(int from, int to) {
            for (int i = from; i < to; i++) {
                sent.get(i).complete(null);
            }
        }

        void fail(int index, Exception e) {
            sent.get(index).completeExceptionally(e);
        }

        @Override
        public void close() {}
    }

    private static final class MarkingCommitter
            implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> marked = new ArrayList<>();

        @Override
        public synchronized void markProcessed(RecordChangeEvent<SourceRecord> record) {
            marked.add(record);
        }

        @Override
        public void markBatchFinished() {}

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets sourceOffsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            return null;
        }
    }
}
