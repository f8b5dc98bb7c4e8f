package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.Operation;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** MongoDB events (fixtures in src/test/resources/mongo, see the README there) to canonical change events. */
class MongoRecordMappingTest {

    private final MongoDialect dialect = new MongoDialect(new SourceSettings(
            "app",
            SourceKind.MONGODB,
            "localhost",
            27017,
            "shop",
            null,
            null,
            List.of(),
            Map.of(),
            "mongodb://localhost:27017/?replicaSet=rs0"));
    private final RecordMapper mapper =
            new RecordMapper("app", dialect, Clock.fixed(Instant.ofEpochMilli(5), ZoneOffset.UTC));

    private static SourceRecord fixture(String name) throws IOException {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = MongoRecordMappingTest.class.getResourceAsStream("/mongo/" + name + ".json")) {
            JsonNode node = json.readTree(in);
            SchemaAndValue key = converter.toConnectData("t", json.writeValueAsBytes(node.get("key")));
            SchemaAndValue value = converter.toConnectData("t", json.writeValueAsBytes(node.get("value")));
            @SuppressWarnings("unchecked")
            Map<String, Object> offset = json.convertValue(node.get("offset"), Map.class);
            return new SourceRecord(
                    Map.of("server_id", "app"),
                    offset,
                    "app.shop.orders",
                    key.schema(),
                    key.value(),
                    value.schema(),
                    value.value());
        }
    }

    @Test
    void insertMapsBsonTypesToCanonicalForms() throws IOException {
        ChangeEvent event = mapper.map(fixture("insert"));

        assertThat(event.op()).isEqualTo(Operation.INSERT);
        assertThat(event.table()).isEqualTo("shop.orders");
        assertThat(event.key()).containsExactly(Map.entry("_id", "665f1c2e8b3e4a1d2c3b4a59"));
        Map<String, Object> doc = event.after();
        assertThat(doc.get("_id")).isEqualTo("665f1c2e8b3e4a1d2c3b4a59");
        assertThat(doc.get("title")).isEqualTo("Buy milk");
        assertThat(doc.get("done")).isEqualTo(false);
        assertThat(doc.get("qty")).isEqualTo(12L);
        assertThat(doc.get("n32")).isEqualTo(7L);
        assertThat(doc.get("price")).isEqualTo(new BigDecimal("19.99"));
        assertThat(doc.get("ratio")).isEqualTo(0.25);
        assertThat(doc.get("due")).isEqualTo("2024-05-01T14:00:00.123000Z");
        assertThat(doc.get("owner"))
                .isEqualTo(Map.of("name", "alice", "tags", List.of("a", "b"), "address", Map.of("city", "Bern")));
        assertThat(doc.get("uid")).isEqualTo("a3eebe99-9c0b-4ef8-bb6d-6bbb9d380a11");
        assertThat(doc.get("blob")).isEqualTo("AQID");
        assertThat(doc).containsEntry("note", null);
        assertThat(event.position()).isEqualTo("resume:8266601C2E000000012B022C0100296E5A1004");
        assertThat(event.txId()).endsWith(":3");
        assertThat(event.transaction().id()).isEqualTo(event.txId());
        assertThat(event.commitTimeMs()).isEqualTo(1714572000123L);
    }

    @Test
    void updateCarriesThePreImageWhenTheCollectionHasOne() throws IOException {
        ChangeEvent event = mapper.map(fixture("update"));

        assertThat(event.op()).isEqualTo(Operation.UPDATE);
        assertThat(event.before()).containsEntry("done", false);
        assertThat(event.after()).containsEntry("done", true).containsEntry("qty", 12L);
        assertThat(event.transaction()).isNull();
    }

    @Test
    void updateWithoutPreImageHasNoBeforeAndAPositionFromTheOplogTime() throws IOException {
        ChangeEvent event = mapper.map(fixture("update-no-preimage"));

        assertThat(event.before()).isNull();
        assertThat(event.after()).containsEntry("done", true);
        assertThat(event.position()).isEqualTo("ts:1714572001:2");
    }

    @Test
    void deleteCarriesTheOldDocumentOnly() throws IOException {
        ChangeEvent event = mapper.map(fixture("delete"));

        assertThat(event.op()).isEqualTo(Operation.DELETE);
        assertThat(event.after()).isNull();
        assertThat(event.before()).containsEntry("title", "Buy milk");
        assertThat(event.key()).containsEntry("_id", "665f1c2e8b3e4a1d2c3b4a59");
    }

    @Test
    void numericIdsStayNumbersAndEventsSurviveTheWire() throws IOException {
        ChangeEvent event = mapper.map(fixture("int-id"));

        assertThat(event.key()).containsExactly(Map.entry("_id", 1004L));
        ChangeEventCodec codec = new ChangeEventCodec();
        assertThat(new String(codec.encodeKey(event.table(), event.key()), StandardCharsets.UTF_8))
                .isEqualTo("{\"table\":\"shop.orders\",\"key\":{\"_id\":1004}}");
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }
}
