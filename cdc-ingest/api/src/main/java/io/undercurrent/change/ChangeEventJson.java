package io.undercurrent.change;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads a {@link ChangeEvent} field by field on Jackson's streaming API: the same JSON as
 * the mapper's record binding (same fields, order and value forms; values that are not plain scalars,
 * such as a JSON column's tree, go through the mapper), without its per-event reflection and
 * intermediate buffers. Every change passes here once in ingest and once per reader (router,
 * lookups), so at a high change rate the binding's overhead was a visible share of the CPU.
 */
final class ChangeEventJson {

    private final ObjectMapper mapper;

    ChangeEventJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(ChangeEvent e) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
            try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeNumberField("version", e.version());
                g.writeStringField("source", e.source());
                g.writeStringField("table", e.table());
                g.writeStringField("op", e.op().name());
                writeMap(g, "key", e.key());
                writeMap(g, "before", e.before());
                writeMap(g, "after", e.after());
                g.writeFieldName("unavailable");
                g.writeStartArray();
                for (String column : e.unavailable()) {
                    g.writeString(column);
                }
                g.writeEndArray();
                g.writeStringField("position", e.position());
                g.writeStringField("txId", e.txId());
                g.writeNumberField("commitTimeMs", e.commitTimeMs());
                g.writeNumberField("ingestTimeMs", e.ingestTimeMs());
                Transaction t = e.transaction();
                if (t == null) {
                    g.writeNullField("transaction");
                } else {
                    g.writeObjectFieldStart("transaction");
                    g.writeStringField("id", t.id());
                    g.writeNumberField("totalOrder", t.totalOrder());
                    g.writeNumberField("dataCollectionOrder", t.dataCollectionOrder());
                    g.writeEndObject();
                }
                g.writeStringField("sourceOrder", e.sourceOrder());
                g.writeEndObject();
            }
            return out.toByteArray();
        }
    }

    /**
     * The record key of a change: {@code {"table":..,"key":{..}}}, key columns in the map's order. Its
     * bytes pick the partition, so they are exactly what the binding of that map wrote before.
     */
    byte[] writeKey(String table, Map<String, Object> key) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(64)) {
            try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeStringField("table", table);
                writeMap(g, "key", key);
                g.writeEndObject();
            }
            return out.toByteArray();
        }
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, Object> map) throws IOException {
        g.writeFieldName(field);
        if (map == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            g.writeFieldName(entry.getKey());
            Object v = entry.getValue();
            if (v instanceof String s) {
                g.writeString(s);
            } else if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof BigDecimal d) {
                // Plain, never in exponent form: the mapper's generators are configured so.
                g.writeNumber(d);
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                // Decimals, booleans, trees and lists: the generator's own forms, else the mapper's.
                g.writeObject(v);
            }
        }
        g.writeEndObject();
    }

    /**
     * @throws IOException on JSON that is not an object of the change's fields
     * @throws RuntimeException what the {@link ChangeEvent} or {@link Transaction} constructor throws
     */
    ChangeEvent read(byte[] json) throws IOException {
        try (JsonParser p = mapper.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a change event");
            int version = 0;
            String source = null;
            String table = null;
            Operation op = null;
            Map<String, Object> key = null;
            Map<String, Object> before = null;
            Map<String, Object> after = null;
            List<String> unavailable = null;
            String position = null;
            String txId = null;
            long commitTimeMs = 0;
            long ingestTimeMs = 0;
            Transaction transaction = null;
            String sourceOrder = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "version" -> version = p.getValueAsInt();
                    case "source" -> source = text(p);
                    case "table" -> table = text(p);
                    case "op" -> op = value == JsonToken.VALUE_NULL ? null : Operation.valueOf(text(p));
                    case "key" -> key = readMap(p);
                    case "before" -> before = readMap(p);
                    case "after" -> after = readMap(p);
                    case "unavailable" -> unavailable = readStrings(p);
                    case "position" -> position = text(p);
                    case "txId" -> txId = text(p);
                    case "commitTimeMs" -> commitTimeMs = p.getValueAsLong();
                    case "ingestTimeMs" -> ingestTimeMs = p.getValueAsLong();
                    case "transaction" -> transaction = readTransaction(p);
                    case "sourceOrder" -> sourceOrder = text(p);
                    default -> p.skipChildren();
                }
            }
            return new ChangeEvent(
                    version,
                    source,
                    table,
                    op,
                    key,
                    before,
                    after,
                    unavailable,
                    position,
                    txId,
                    commitTimeMs,
                    ingestTimeMs,
                    transaction,
                    sourceOrder);
        }
    }

    private Map<String, Object> readMap(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "an object");
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            map.put(name, readValue(p, p.nextToken()));
        }
        return map;
    }

    /** As the mapper's untyped reading ({@link CanonicalNumbers}) gives it: longs, big integers, decimals. */
    private Object readValue(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> mapper.readValue(p, Object.class);
        };
    }

    private static List<String> readStrings(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "an array of column names");
        List<String> strings = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            strings.add(text(p));
        }
        return strings;
    }

    private static Transaction readTransaction(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "a transaction");
        String id = null;
        long total = 0;
        long perTable = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = text(p);
                case "totalOrder" -> total = p.getValueAsLong();
                case "dataCollectionOrder" -> perTable = p.getValueAsLong();
                default -> p.skipChildren();
            }
        }
        return new Transaction(id, total, perTable);
    }

    /** A string field: text, or null; anything else is not this field's form. */
    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == null) {
            throw new JsonParseException(p, "expected text for '" + p.currentName() + "', got " + t);
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(
                    p,
                    "expected " + what + (p.currentName() == null ? "" : " for '" + p.currentName() + "'") + ", got "
                            + actual);
        }
    }
}
