package io.undercurrent.change;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON form of {@link ChangeEvent}, as stored in the change topics. Thread-safe.
 *
 * <p>Decimals are read back as {@code BigDecimal} and integers as {@code Long}, so a round trip never
 * loses precision (a non-integer number may come back as {@code BigDecimal} even if it was a
 * {@code Double}; canonical comparisons are numeric, so both forms mean the same).
 */
public final class ChangeEventCodec {

    private final ObjectMapper mapper;
    private final ChangeEventJson json;

    public ChangeEventCodec() {
        this.mapper = canonicalMapper();
        this.json = new ChangeEventJson(mapper);
    }

    /** An {@link ObjectMapper} that reads and writes canonical values exactly (see the module README). */
    public static ObjectMapper canonicalMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new SimpleModule("canonical-numbers")
                        .addDeserializer(Object.class, new CanonicalNumbers())
                        .addDeserializer(JsonNode.class, new CanonicalTrees()))
                .build();
    }

    public byte[] encode(ChangeEvent event) {
        try {
            return json.write(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "change to " + event.table() + " holds a value that is not canonical: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws MalformedChangeException when the bytes are not a change event of a known version
     */
    public ChangeEvent decode(byte[] json) {
        try {
            ChangeEvent event = this.json.read(json);
            if (event.version() != ChangeEvent.CURRENT_VERSION) {
                throw new MalformedChangeException(
                        "change event version " + event.version() + " is not supported (this reader knows version "
                                + ChangeEvent.CURRENT_VERSION + "); upgrade the reader");
            }
            return event;
        } catch (MalformedChangeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // RuntimeException: what the event's constructor says of missing or contradictory fields.
            throw new MalformedChangeException("not a change event: " + e.getMessage(), e);
        }
    }

    public byte[] encodeMarker(TransactionMarker marker) {
        try {
            return mapper.writeValueAsBytes(marker);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws MalformedChangeException when the bytes are not a transaction marker of a known version
     */
    public TransactionMarker decodeMarker(byte[] json) {
        try {
            TransactionMarker marker = mapper.readValue(json, TransactionMarker.class);
            if (marker.version() != ChangeEvent.CURRENT_VERSION) {
                throw new MalformedChangeException("transaction marker version " + marker.version()
                        + " is not supported (this reader knows version " + ChangeEvent.CURRENT_VERSION
                        + "); upgrade the reader");
            }
            return marker;
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedChangeException("not a transaction marker: " + e.getMessage(), e);
        }
    }

    public byte[] encodeWatermark(Watermark watermark) {
        try {
            return mapper.writeValueAsBytes(watermark);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws MalformedChangeException when the bytes are not a watermark of a known version
     */
    public Watermark decodeWatermark(byte[] json) {
        try {
            Watermark watermark = mapper.readValue(json, Watermark.class);
            if (watermark.watermarkVersion() != Watermark.CURRENT_VERSION) {
                throw new MalformedChangeException("watermark version " + watermark.watermarkVersion()
                        + " is not supported (this reader knows version " + Watermark.CURRENT_VERSION
                        + "); upgrade the reader");
            }
            return watermark;
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedChangeException("not a watermark: " + e.getMessage(), e);
        }
    }

    /**
     * The Kafka record key of a change: table plus primary key, so all changes to one row land in one
     * partition, in commit order. Key columns are written in the order given, which ingest takes from
     * the table's primary key definition, so the same row always yields the same bytes.
     */
    public byte[] encodeKey(String table, Map<String, Object> key) {
        try {
            return json.writeKey(table, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
