package io.undercurrent.ingest.internal;

import io.debezium.engine.RecordChangeEvent;
import io.undercurrent.change.ChangeEvent;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Debezium records of a PostgreSQL source's {@code public.todos}, one per position, as the engine hands them over. */
final class TestChanges {

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

    private static final Schema MESSAGE = SchemaBuilder.struct()
            .field("prefix", Schema.STRING_SCHEMA)
            .field("content", Schema.BYTES_SCHEMA)
            .build();
    private static final Schema MESSAGE_ENVELOPE = SchemaBuilder.struct()
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("source", SOURCE)
            .field("message", MESSAGE)
            .build();

    private TestChanges() {}

    /** A logical decoding message at source position {@code position}, as Debezium's PostgreSQL connector hands it over. */
    static RecordChangeEvent<SourceRecord> message(long position, String prefix, String content) {
        Struct source = new Struct(SOURCE)
                .put("schema", "")
                .put("table", "")
                .put("lsn", position)
                .put("ts_ms", 1_700_000_000_000L);
        Struct envelope = new Struct(MESSAGE_ENVELOPE)
                .put("op", "m")
                .put("source", source)
                .put(
                        "message",
                        new Struct(MESSAGE)
                                .put("prefix", prefix)
                                .put("content", content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        SourceRecord record = new SourceRecord(
                Map.of(), Map.of("lsn", position), "app.message", null, null, MESSAGE_ENVELOPE, envelope);
        return () -> record;
    }

    /** The insert of row {@code position} at source position {@code position} (its {@code lsn}). */
    static RecordChangeEvent<SourceRecord> change(long position) {
        Struct source = new Struct(SOURCE)
                .put("schema", "public")
                .put("table", "todos")
                .put("txId", 700L + position)
                .put("lsn", position)
                .put("ts_ms", 1_700_000_000_000L);
        Struct envelope = new Struct(ENVELOPE)
                .put("after", new Struct(ROW).put("id", position))
                .put("source", source)
                .put("op", "c");
        SourceRecord record = new SourceRecord(
                Map.of(),
                Map.of("lsn", position),
                "app.public.todos",
                KEY,
                new Struct(KEY).put("id", position),
                ENVELOPE,
                envelope);
        return () -> record;
    }

    /** The source position of a record made by {@link #change}. */
    static long position(RecordChangeEvent<SourceRecord> record) {
        return (Long) record.record().sourceOffset().get("lsn");
    }

    /** The row id of a published change made from {@link #change}: its source position. */
    static long position(ChangeEvent event) {
        return ((Number) event.key().get("id")).longValue();
    }
}
