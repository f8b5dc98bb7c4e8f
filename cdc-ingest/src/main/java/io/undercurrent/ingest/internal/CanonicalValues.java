package io.undercurrent.ingest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.value.CanonicalForms;
import io.undercurrent.change.value.CanonicalTemporal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts Kafka Connect values, as Debezium emits them, into canonical values (see the change API
 * README). Debezium encodes most types by a semantic schema name on top of a primitive, so the name
 * decides first and the primitive type second. This class only decodes: every form is written by
 * the change contract's one definition ({@link CanonicalTemporal}, {@link CanonicalForms}), which the
 * snapshot readers use too, so a change event and a snapshot read of the same row agree.
 *
 * <p>Assumes the connector runs with {@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code interval.handling.mode=string} and
 * {@code binary.handling.mode=bytes}, which every dialect sets. Thread-safe.
 */
public final class CanonicalValues {

    // How the Postgres driver (and so Debezium) encodes the timestamps 'infinity' and '-infinity'.
    private static final long PG_POSITIVE_INFINITY = 9223372036825200000L;
    private static final long PG_NEGATIVE_INFINITY = -9223372036832400000L;
    private static final long POSITIVE_INFINITY_DAY =
            LocalDate.parse("-5877611-06-21").toEpochDay();
    private static final long NEGATIVE_INFINITY_DAY =
            LocalDate.parse("-5877611-06-22").toEpochDay();

    private final ObjectMapper json = ChangeEventCodec.canonicalMapper();

    /** Converts every field of a row struct; null struct gives null. Column order is kept. */
    public Map<String, Object> row(Struct struct) {
        if (struct == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            row.put(field.name(), value(field.schema(), struct.get(field)));
        }
        return row;
    }

    /** Converts one value according to its Connect schema. */
    public Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            Object converted = bySemanticName(name, schema, value);
            if (converted != NOT_SEMANTIC) {
                return converted;
            }
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32, INT64 -> ((Number) value).longValue();
            case FLOAT32 -> CanonicalForms.float32((Float) value);
            case FLOAT64 -> CanonicalForms.float64(((Number) value).doubleValue());
            case BOOLEAN -> value;
            case STRING -> value;
            case BYTES -> base64(value);
            case ARRAY -> array(schema, (List<?>) value);
            case MAP -> map(schema, (Map<?, ?>) value);
            case STRUCT -> row((Struct) value);
        };
    }

    private static final Object NOT_SEMANTIC = new Object();

    private Object bySemanticName(String name, Schema schema, Object value) {
        switch (name) {
            case Decimal.LOGICAL_NAME:
                return value;
            case "io.debezium.data.VariableScaleDecimal": {
                Struct s = (Struct) value;
                return new BigDecimal(new BigInteger((byte[]) s.get("value")), s.getInt32("scale"));
            }
            case "io.debezium.time.ZonedTimestamp":
                return ZonedTimestamps.canonical((String) value);
            case "io.debezium.time.Timestamp": {
                long millis = (Long) value;
                return CanonicalTemporal.formatTimestamp(CanonicalTemporal.fromUnix(
                        Math.floorDiv(millis, 1_000L), (int) Math.floorMod(millis, 1_000L) * 1_000_000));
            }
            case "io.debezium.time.MicroTimestamp":
                return localMicros((Long) value);
            case "io.debezium.time.NanoTimestamp": {
                long nanos = (Long) value;
                return CanonicalTemporal.formatTimestamp(CanonicalTemporal.fromUnix(
                        Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L)));
            }
            case "io.debezium.time.Date":
                return date(((Number) value).longValue());
            case "io.debezium.time.Time":
                return time(((Number) value).longValue() * 1_000L);
            case "io.debezium.time.MicroTime":
                return time(((Number) value).longValue());
            case "io.debezium.time.NanoTime":
                return time(((Number) value).longValue() / 1_000L);
            case "io.debezium.data.Json":
                return parseJson((String) value);
            case "io.debezium.data.Uuid":
                return CanonicalForms.uuid((String) value);
            default:
                return NOT_SEMANTIC;
        }
    }

    private static String localMicros(long micros) {
        if (micros == PG_POSITIVE_INFINITY) {
            return "infinity";
        }
        if (micros == PG_NEGATIVE_INFINITY) {
            return "-infinity";
        }
        return CanonicalTemporal.formatTimestamp(CanonicalTemporal.fromUnix(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1_000));
    }

    private static String date(long epochDay) {
        if (epochDay == POSITIVE_INFINITY_DAY) {
            return "infinity";
        }
        if (epochDay == NEGATIVE_INFINITY_DAY) {
            return "-infinity";
        }
        return CanonicalTemporal.formatDate(epochDay);
    }

    /** A time of day, or a MySQL duration, from microseconds: {@link CanonicalTemporal#formatTime}. */
    static String time(long micros) {
        return CanonicalTemporal.formatTime(micros);
    }

    private static String base64(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return CanonicalForms.bytes(bytes);
        }
        return CanonicalForms.bytes((byte[]) value);
    }

    private List<Object> array(Schema schema, List<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object element : values) {
            out.add(value(schema.valueSchema(), element));
        }
        return out;
    }

    private Map<String, Object> map(Schema schema, Map<?, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(String.valueOf(k), value(schema.valueSchema(), v)));
        return out;
    }

    private Object parseJson(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            // The database accepted it, so it is JSON; a failure here is a bug worth surfacing loudly.
            throw new IllegalStateException(
                    "the database sent a json value that does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
