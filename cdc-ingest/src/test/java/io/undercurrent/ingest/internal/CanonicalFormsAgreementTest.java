package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.query.ColumnType;
import io.undercurrent.source.postgres.internal.PgTextValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Ingest's canonical values agree with the change contract's one definition and with the snapshot
 * reader's decoding, on every value.
 *
 * <p>Temporal forms: the oracle is {@code java.time}'s formatters (how ingest wrote them before it
 * used {@link CanonicalTemporal}); both {@link CanonicalTemporal} and ingest's conversion of the
 * Connect values Debezium sends ({@link CanonicalValues}) must equal it, on BC years, year 0, years
 * past 9999, microsecond boundaries, across PostgreSQL's whole range and beyond. Numbers, bytes and
 * uuids: ingest's conversion must equal what the PostgreSQL snapshot reader makes of the database's
 * text for the same value ({@link PgTextValues}), {@code real} included.
 */
class CanonicalFormsAgreementTest {

    private static final int CASES = 200_000;
    /** Within CanonicalTemporal's range (microseconds since 2000 in a long: about ±292,000 years). */
    private static final long MAX_SECONDS = 280_000L * 365 * 86_400;

    // The oracle. "uuuu" (proleptic year), not "yyyy" (year of era): BC years print as negative, years
    // past 9999 with a sign.
    private static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);

    private static final Schema MICRO_TIMESTAMP = named("io.debezium.time.MicroTimestamp", Schema.Type.INT64);
    private static final Schema ZONED_TIMESTAMP = named("io.debezium.time.ZonedTimestamp", Schema.Type.STRING);
    private static final Schema DATE = named("io.debezium.time.Date", Schema.Type.INT32);
    private static final Schema MICRO_TIME = named("io.debezium.time.MicroTime", Schema.Type.INT64);
    private static final Schema UUID_SCHEMA = named("io.debezium.data.Uuid", Schema.Type.STRING);
    private static final Schema VARIABLE_DECIMAL = SchemaBuilder.struct()
            .name("io.debezium.data.VariableScaleDecimal")
            .field("scale", Schema.INT32_SCHEMA)
            .field("value", Schema.BYTES_SCHEMA)
            .optional()
            .build();

    private final CanonicalValues ingest = new CanonicalValues();

    @Test
    void timestampsAgree() {
        Random random = new Random(20261130);
        for (int i = 0; i < CASES; i++) {
            long seconds = edge(random, i) ? edgeSecond(random) : random.nextLong(-MAX_SECONDS, MAX_SECONDS);
            int micros = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : 999_999) : random.nextInt(1_000_000);
            Instant instant = Instant.ofEpochSecond(seconds, micros * 1_000L);
            String zoned = UTC_MICROS.format(instant);
            String local = LOCAL_MICROS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            long value = CanonicalTemporal.fromUnix(seconds, micros * 1_000);
            assertThat(CanonicalTemporal.formatTimestamptz(value))
                    .as("timestamptz %s", instant)
                    .isEqualTo(zoned);
            assertThat(CanonicalTemporal.formatTimestamp(value))
                    .as("timestamp %s", instant)
                    .isEqualTo(local);
            assertThat(ingest.value(MICRO_TIMESTAMP, seconds * 1_000_000L + micros))
                    .as("ingest's timestamp %s", instant)
                    .isEqualTo(local);
            assertThat(ingest.value(
                            ZONED_TIMESTAMP,
                            instant.atOffset(ZoneOffset.ofHours(random.nextInt(-12, 13)))
                                    .toString()))
                    .as("ingest's timestamptz %s", instant)
                    .isEqualTo(zoned);
        }
    }

    @Test
    void datesAgree() {
        Random random = new Random(7);
        for (int i = 0; i < CASES; i++) {
            long day = edge(random, i)
                    ? edgeSecond(random) / 86_400
                    : random.nextLong(-MAX_SECONDS / 86_400, MAX_SECONDS / 86_400);
            String oracle = LocalDate.ofEpochDay(day).toString();
            assertThat(CanonicalTemporal.formatDate(day)).as("date %s", day).isEqualTo(oracle);
            assertThat(ingest.value(DATE, (int) day))
                    .as("ingest's date %s", day)
                    .isEqualTo(oracle);
        }
    }

    @Test
    void timesOfDayAgree() {
        Random random = new Random(11);
        long microsPerDay = 86_400_000_000L;
        for (int i = 0; i < CASES; i++) {
            long micros =
                    i < 4 ? new long[] {0, 1, microsPerDay - 1, 43_200_000_000L}[i] : random.nextLong(0, microsPerDay);
            String oracle = TIME_MICROS.format(LocalTime.ofNanoOfDay(micros * 1_000L));
            assertThat(CanonicalTemporal.formatTime(micros))
                    .as("time %s", micros)
                    .isEqualTo(oracle);
            assertThat(ingest.value(MICRO_TIME, micros))
                    .as("ingest's time %s", micros)
                    .isEqualTo(oracle);
        }
        assertThat(ingest.value(MICRO_TIME, microsPerDay))
                .isEqualTo(CanonicalTemporal.formatTime(microsPerDay))
                .isEqualTo("24:00:00.000000");
    }

    /** MySQL's TIME is a duration from -838:59:59 to 838:59:59: hours past 24 and a sign. */
    @Test
    void mysqlDurationsAgree() {
        Random random = new Random(13);
        long limit = (838L * 3600 + 59 * 60 + 59) * 1_000_000L;
        for (int i = 0; i < CASES / 10; i++) {
            long micros = i < 3 ? new long[] {limit, -limit, -1}[i] : random.nextLong(-limit, limit + 1);
            long abs = Math.abs(micros);
            long seconds = abs / 1_000_000L;
            String oracle = String.format(
                    Locale.ROOT,
                    "%s%02d:%02d:%02d.%06d",
                    micros < 0 ? "-" : "",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60,
                    abs % 1_000_000L);
            assertThat(ingest.value(MICRO_TIME, micros))
                    .as("duration %s", micros)
                    .isEqualTo(oracle);
        }
    }

    /**
     * PostgreSQL {@code real}: the snapshot decodes the database's text and widens the float exactly;
     * ingest gets the same float from Debezium and must give the same double (not its shortest decimal
     * form: {@code 1.1f} is {@code 1.100000023841858}).
     */
    @Test
    void realAgreesWithTheSnapshotRead() {
        Random random = new Random(17);
        float[] edges = {
            1.1f,
            0.1f,
            3.4028235e38f,
            -0.0f,
            0.0f,
            Float.MIN_VALUE,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY
        };
        for (int i = 0; i < CASES; i++) {
            float f = i < edges.length ? edges[i] : Float.intBitsToFloat(random.nextInt());
            String text = Float.toString(f); // parses back to the same float, as PostgreSQL's output does
            assertThat(ingest.value(Schema.FLOAT32_SCHEMA, f))
                    .as("real %s", text)
                    .isEqualTo(PgTextValues.scalar(text, ColumnType.FLOAT, "float4"))
                    .isEqualTo(widenedAsPostgresDoes(f));
        }
    }

    @Test
    void doublePrecisionAgreesWithTheSnapshotRead() {
        Random random = new Random(19);
        double[] edges = {1.1, -0.0, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < CASES; i++) {
            double d = i < edges.length ? edges[i] : Double.longBitsToDouble(random.nextLong());
            String text = Double.toString(d);
            assertThat(ingest.value(Schema.FLOAT64_SCHEMA, d))
                    .as("double precision %s", text)
                    .isEqualTo(PgTextValues.scalar(text, ColumnType.FLOAT, "float8"));
        }
    }

    @Test
    void numericBytesAndUuidsAgreeWithTheSnapshotRead() {
        Random random = new Random(23);
        for (int i = 0; i < CASES / 10; i++) {
            BigDecimal number = new BigDecimal(new BigInteger(random.nextInt(1, 140), random), random.nextInt(0, 30));
            if (random.nextBoolean()) {
                number = number.negate();
            }
            Struct variable = new Struct(VARIABLE_DECIMAL)
                    .put("scale", number.scale())
                    .put("value", number.unscaledValue().toByteArray());
            assertThat(ingest.value(VARIABLE_DECIMAL, variable))
                    .as("numeric %s", number)
                    .isEqualTo(PgTextValues.scalar(number.toPlainString(), ColumnType.DECIMAL, "numeric"));

            byte[] bytes = new byte[random.nextInt(0, 40)];
            random.nextBytes(bytes);
            assertThat(ingest.value(Schema.BYTES_SCHEMA, bytes))
                    .isEqualTo(PgTextValues.scalar("\\x" + HexFormat.of().formatHex(bytes), ColumnType.BYTES, "bytea"));

            String uuid =
                    new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase(Locale.ROOT);
            assertThat(ingest.value(UUID_SCHEMA, uuid)).isEqualTo(PgTextValues.scalar(uuid, ColumnType.UUID, "uuid"));
        }
    }

    /**
     * The oracle for {@code real}, independent of the shared definition: PostgreSQL's own {@code float4}
     * to {@code float8} conversion (exact, as Java's widening), with the contract's strings for
     * non-finite values.
     */
    private static Object widenedAsPostgresDoes(float f) {
        double d = f;
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return d;
    }

    private static Schema named(String name, Schema.Type type) {
        return new SchemaBuilder(type).name(name).optional().build();
    }

    private static boolean edge(Random random, int i) {
        return i % 10 == 0;
    }

    /** Around the year boundaries where the written form changes: 1 BC / 1 AD, year 0, 9999 / 10000, the epochs. */
    private static long edgeSecond(Random random) {
        long[] anchors = {
            LocalDate.of(0, 1, 1).toEpochDay(), LocalDate.of(1, 1, 1).toEpochDay(),
                    LocalDate.of(-1, 12, 31).toEpochDay(),
            LocalDate.of(9999, 12, 31).toEpochDay(), LocalDate.of(10000, 1, 1).toEpochDay(),
                    LocalDate.of(-4713, 11, 24).toEpochDay(),
            LocalDate.of(1970, 1, 1).toEpochDay(), LocalDate.of(2000, 1, 1).toEpochDay()
        };
        long day = anchors[random.nextInt(anchors.length)] + random.nextInt(3) - 1;
        return day * 86_400 + random.nextInt(86_400);
    }
}
