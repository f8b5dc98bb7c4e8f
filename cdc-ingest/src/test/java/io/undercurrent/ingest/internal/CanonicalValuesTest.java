package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Edge values of the canonical forms, which must match what the snapshot reader produces. */
class CanonicalValuesTest {

    private final CanonicalValues values = new CanonicalValues();

    private static Schema named(String name, Schema.Type type) {
        return new SchemaBuilder(type).name(name).optional().build();
    }

    @Test
    void bcAndFarFutureYearsUseTheIsoSignedForm() {
        Schema micro = named("io.debezium.time.MicroTimestamp", Schema.Type.INT64);
        long bc = LocalDate.parse("-0043-03-15").toEpochDay() * 86_400_000_000L;
        assertThat(values.value(micro, bc)).isEqualTo("-0043-03-15T00:00:00.000000");
        long future = LocalDate.parse("+10000-01-01").toEpochDay() * 86_400_000_000L;
        assertThat(values.value(micro, future)).isEqualTo("+10000-01-01T00:00:00.000000");
        assertThat(values.value(named("io.debezium.time.Date", Schema.Type.INT32), (int)
                        LocalDate.parse("-0043-03-15").toEpochDay()))
                .isEqualTo("-0043-03-15");
    }

    @Test
    void infinityAndMidnightAtEndOfDayAreKeptAsText() {
        assertThat(values.value(named("io.debezium.time.ZonedTimestamp", Schema.Type.STRING), "infinity"))
                .isEqualTo("infinity");
        assertThat(values.value(named("io.debezium.time.MicroTimestamp", Schema.Type.INT64), 9223372036825200000L))
                .isEqualTo("infinity");
        assertThat(values.value(named("io.debezium.time.MicroTimestamp", Schema.Type.INT64), -9223372036832400000L))
                .isEqualTo("-infinity");
        assertThat(values.value(named("io.debezium.time.MicroTime", Schema.Type.INT64), 86_400_000_000L))
                .isEqualTo("24:00:00.000000");
    }

    @Test
    void mysqlTimesPastADayOrNegativeKeepTheirHours() {
        Schema micro = named("io.debezium.time.MicroTime", Schema.Type.INT64);
        assertThat(values.value(micro, 838L * 3_600_000_000L + 59 * 60_000_000L + 59_000_000L))
                .isEqualTo("838:59:59.000000");
        assertThat(values.value(micro, -3_600_000_001L)).isEqualTo("-01:00:00.000001");
    }

    @Test
    void float32IsWidenedExactlyAsASnapshotReadsItAndAsPostgresCompareIt() {
        assertThat(values.value(Schema.FLOAT32_SCHEMA, 1.1f))
                .isEqualTo((double) 1.1f)
                .isEqualTo(1.100000023841858)
                .isNotEqualTo(1.1);
        assertThat(values.value(Schema.FLOAT32_SCHEMA, Float.MAX_VALUE)).isEqualTo(3.4028234663852886E38);
        assertThat(values.value(Schema.FLOAT32_SCHEMA, -0.0f)).isEqualTo(-0.0);
    }

    @Test
    void floatsThatJsonCannotHoldBecomeStrings() {
        assertThat(values.value(Schema.FLOAT64_SCHEMA, Double.POSITIVE_INFINITY))
                .isEqualTo("Infinity");
        assertThat(values.value(Schema.FLOAT32_SCHEMA, Float.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(values.value(Schema.FLOAT64_SCHEMA, 1.5)).isEqualTo(1.5);
    }
}
