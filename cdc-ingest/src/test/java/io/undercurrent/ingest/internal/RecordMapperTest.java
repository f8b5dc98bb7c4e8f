package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    private static final String PLACEHOLDER = "__debezium_unavailable_value";

    private static final Schema ROW = SchemaBuilder.struct()
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("small", Schema.OPTIONAL_INT16_SCHEMA)
            .field("price", Decimal.builder(2).optional().build())
            .field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("done", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("body", Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                    "at",
                    SchemaBuilder.string()
                            .name("io.debezium.time.ZonedTimestamp")
                            .optional()
                            .build())
            .field(
                    "local",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .optional()
                            .build())
            .field(
                    "day",
                    SchemaBuilder.int32()
                            .name("io.debezium.time.Date")
                            .optional()
                            .build())
            .field(
                    "clock",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTime")
                            .optional()
                            .build())
            .field(
                    "doc",
                    SchemaBuilder.string()
                            .name("io.debezium.data.Json")
                            .optional()
                            .build())
            .field(
                    "uid",
                    SchemaBuilder.string()
                            .name("io.debezium.data.Uuid")
                            .optional()
                            .build())
            .field(
                    "tags",
                    SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA)
                            .optional()
                            .build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("big", variableScaleDecimal())
            .build();
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
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    private final RecordMapper mapper = new RecordMapper(
            "app",
            new PostgresDialect(new SourceSettings(
                    "app", SourceKind.POSTGRES, "localhost", 5432, "db", "u", "p", List.of(), Map.of())),
            Clock.fixed(Instant.ofEpochMilli(99), ZoneOffset.UTC));

    private static Schema variableScaleDecimal() {
        return SchemaBuilder.struct()
                .name("io.debezium.data.VariableScaleDecimal")
                .optional()
                .field("scale", Schema.INT32_SCHEMA)
                .field("value", Schema.BYTES_SCHEMA)
                .build();
    }

    private static Struct fullRow() {
        return new Struct(ROW)
                .put("id", 7L)
                .put("small", (short) 3)
                .put("price", new BigDecimal("12.50"))
                .put("ratio", Double.NaN)
                .put("done", true)
                .put("body", "text")
                .put("at", "2024-05-01T14:00:00.5+02:00")
                .put("local", 1_714_572_000_123_456L)
                .put("day", 19_844)
                .put("clock", 45_296_000_001L)
                .put("doc", "{\"a\":[1,2.5,{\"b\":null}]}")
                .put("uid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")
                .put("tags", List.of("x", "y"))
                .put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .put(
                        "big",
                        new Struct(variableScaleDecimal())
                                .put("scale", 3)
                                .put("value", new BigInteger("123456789012345678901234567890").toByteArray()));
    }

    private SourceRecord record(String op, Struct before, Struct after) {
        Struct source = new Struct(SOURCE)
                .put("schema", "public")
                .put("table", "todos")
                .put("txId", 731L)
                .put("lsn", 4242L)
                .put("ts_ms", 1_700_000_000_000L);
        Struct envelope = new Struct(ENVELOPE)
                .put("before", before)
                .put("after", after)
                .put("source", source)
                .put("op", op);
        return new SourceRecord(
                Map.of(), Map.of(), "app.public.todos", KEY, new Struct(KEY).put("id", 7L), ENVELOPE, envelope);
    }

    @Test
    void insertMapsEveryTypeToItsCanonicalForm() {
        ChangeEvent event = mapper.map(record("c", null, fullRow()));

        assertThat(event.op()).isEqualTo(Operation.INSERT);
        assertThat(event.source()).isEqualTo("app");
        assertThat(event.table()).isEqualTo("public.todos");
        assertThat(event.key()).containsExactly(Map.entry("id", 7L));
        assertThat(event.txId()).isEqualTo("731");
        assertThat(event.position()).isEqualTo("lsn:4242");
        assertThat(event.commitTimeMs()).isEqualTo(1_700_000_000_000L);
        assertThat(event.ingestTimeMs()).isEqualTo(99L);
        Map<String, Object> row = event.after();
        assertThat(row.get("id")).isEqualTo(7L);
        assertThat(row.get("small")).isEqualTo(3L);
        assertThat(row.get("price")).isEqualTo(new BigDecimal("12.50"));
        assertThat(row.get("ratio")).isEqualTo("NaN");
        assertThat(row.get("done")).isEqualTo(true);
        assertThat(row.get("at")).isEqualTo("2024-05-01T12:00:00.500000Z");
        assertThat(row.get("local")).isEqualTo("2024-05-01T14:00:00.123456");
        assertThat(row.get("day")).isEqualTo("2024-05-01");
        assertThat(row.get("clock")).isEqualTo("12:34:56.000001");
        assertThat(row.get("doc"))
                .isEqualTo(
                        Map.of("a", List.of(1L, new BigDecimal("2.5"), java.util.Collections.singletonMap("b", null))));
        assertThat(row.get("uid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(row.get("tags")).isEqualTo(List.of("x", "y"));
        assertThat(row.get("blob")).isEqualTo("AQID");
        assertThat(row.get("big")).isEqualTo(new BigDecimal("123456789012345678901234567.890"));
        assertThat(event.unavailable()).isEmpty();
    }

    @Test
    void unchangedToastValueIsTakenFromTheOldImageWhenThereIsOne() {
        Struct before = fullRow().put("body", "a long text");
        Struct after = fullRow().put("body", PLACEHOLDER).put("done", false);

        ChangeEvent event = mapper.map(record("u", before, after));

        assertThat(event.after().get("body")).isEqualTo("a long text");
        assertThat(event.unavailable()).isEmpty();
    }

    @Test
    void unchangedToastValueWithoutOldImageIsListedAsUnavailableNeverAsData() {
        Struct after = fullRow()
                .put("body", PLACEHOLDER)
                .put("tags", List.of(PLACEHOLDER))
                .put("blob", ByteBuffer.wrap(PLACEHOLDER.getBytes(StandardCharsets.UTF_8)));

        ChangeEvent event = mapper.map(record("u", null, after));

        assertThat(event.before()).isNull();
        assertThat(event.unavailable()).containsExactly("body", "tags", "blob");
        assertThat(event.after()).doesNotContainKeys("body", "tags", "blob").containsEntry("id", 7L);
    }

    @Test
    void deleteCarriesTheOldImageOnly() {
        ChangeEvent event = mapper.map(record("d", fullRow(), null));
        assertThat(event.op()).isEqualTo(Operation.DELETE);
        assertThat(event.after()).isNull();
        assertThat(event.latestImage()).containsEntry("id", 7L);
    }

    @Test
    void recordsThatAreNotRowChangesAreSkipped() {
        assertThat(mapper.map(
                        new SourceRecord(Map.of(), Map.of(), "t", KEY, new Struct(KEY).put("id", 1L), null, null)))
                .isNull();
        Schema heartbeat =
                SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        assertThat(mapper.map(new SourceRecord(
                        Map.of(), Map.of(), "hb", null, null, heartbeat, new Struct(heartbeat).put("ts_ms", 1L))))
                .isNull();
        assertThat(mapper.map(record("t", null, null))).isNull();
    }
}
