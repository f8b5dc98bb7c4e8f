package io.undercurrent.ingest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts Kafka Connect values, as Debezium emits them, into canonical values (see the change API
 * README). Debezium encodes most types by a semantic schema name on top of a primitive, so the name
 * decides first and the primitive type second.
 *
 * <p>Assumes the connector runs with {@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code interval.handling.mode=string} and
 * {@code binary.handling.mode=bytes}, which every dialect sets. Thread-safe.
 */
public final class CanonicalValues {

    // "uuuu" (proleptic year), not "yyyy" (year of era): BC years print as negative, years past 9999
    // with a sign, the ISO form the snapshot reader writes too.
    static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter LOCAL_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    // How the Postgres driver (and so Debezium) encodes the timestamps 'infinity' and '-infinity'.
    private static final long PG_POSITIVE_INFINITY = 9223372036825200000L;
    private static final long PG_NEGATIVE_INFINITY = -9223372036832400000L;
    private static final long POSITIVE_INFINITY_DAY =
            LocalDate.parse("-5877611-06-21").toEpochDay();
    private static final long NEGATIVE_INFINITY_DAY =
            LocalDate.parse("-5877611-06-22").toEpochDay();
    static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);

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
            // A float32 widened as it is would print 1.1 as 1.100000023841858; its shortest decimal form
            // is what the database and its JDBC driver show.
            case FLOAT32 -> floating(Double.parseDouble(Float.toString((Float) value)));
            case FLOAT64 -> floating(((Number) value).doubleValue());
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
                return zoned((String) value);
            case "io.debezium.time.Timestamp":
                return LOCAL_MICROS.format(LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) value), ZoneOffset.UTC));
            case "io.debezium.time.MicroTimestamp":
                return localMicros((Long) value);
            case "io.debezium.time.NanoTimestamp":
                return LOCAL_MICROS.format(fromNanos((Long) value));
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
                return ((String) value).toLowerCase(Locale.ROOT);
            default:
                return NOT_SEMANTIC;
        }
    }

    private static String zoned(String text) {
        if ("infinity".equals(text) || "-infinity".equals(text)) {
            return text;
        }
        return UTC_MICROS.format(OffsetDateTime.parse(text).toInstant());
    }

    private static String localMicros(long micros) {
        if (micros == PG_POSITIVE_INFINITY) {
            return "infinity";
        }
        if (micros == PG_NEGATIVE_INFINITY) {
            return "-infinity";
        }
        return LOCAL_MICROS.format(fromMicros(micros));
    }

    private static String date(long epochDay) {
        if (epochDay == POSITIVE_INFINITY_DAY) {
            return "infinity";
        }
        if (epochDay == NEGATIVE_INFINITY_DAY) {
            return "-infinity";
        }
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /**
     * {@code HH:mm:ss.SSSSSS}. Postgres allows 24:00:00 and MySQL's TIME is a duration from -838:59:59
     * to 838:59:59, which LocalTime cannot hold: those print as hours past 24 or with a minus sign.
     */
    static String time(long micros) {
        if (micros >= 0 && micros < MICROS_PER_DAY) {
            return TIME_MICROS.format(LocalTime.ofNanoOfDay(micros * 1_000L));
        }
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000L;
        return String.format(
                Locale.ROOT,
                "%s%02d:%02d:%02d.%06d",
                micros < 0 ? "-" : "",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60,
                abs % 1_000_000L);
    }

    private static LocalDateTime fromMicros(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long nanos = Math.floorMod(micros, 1_000_000L) * 1_000L;
        return LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
    }

    private static LocalDateTime fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        return LocalDateTime.ofEpochSecond(seconds, (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
    }

    static Object floating(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return d;
    }

    private static String base64(Object value) {
        byte[] bytes;
        if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            bytes = (byte[]) value;
        }
        return Base64.getEncoder().encodeToString(bytes);
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
