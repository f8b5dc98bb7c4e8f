package io.undercurrent.change.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalTemporalTest {
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    @Test
    void agreesWithJavaTimeAcrossTheWholeRange() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long day = -2_400_000 + random.nextInt(110_000_000);
            LocalDate date = LocalDate.ofEpochDay(day);
            assertThat(CanonicalTemporal.formatDate(day)).isEqualTo(date.toString());
            assertThat(CanonicalTemporal.parseDate(date.toString())).isEqualTo(day);
            long micros = random.nextLong() / 10;
            Instant instant = PG_EPOCH.plus(micros, ChronoUnit.MICROS);
            String canonical = CanonicalTemporal.formatTimestamptz(micros);
            assertThat(Instant.parse(canonical)).isEqualTo(instant);
            assertThat(CanonicalTemporal.parseTimestamptz(canonical)).isEqualTo(micros);
            assertThat(CanonicalTemporal.parseTimestamp(canonical.substring(0, canonical.length() - 1)))
                    .isEqualTo(micros);
        }
    }

    @Test
    void readsOffsetsAndShortForms() {
        long noon = CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00.000000Z");
        assertThat(CanonicalTemporal.parseTimestamptz("2024-05-01 14:00+02")).isEqualTo(noon);
        assertThat(CanonicalTemporal.parseTimestamptz("2024-05-01T06:30:00-05:30"))
                .isEqualTo(noon);
        assertThat(CanonicalTemporal.parseTimestamptz("2024-05-01T12:53:28+00:53:28"))
                .isEqualTo(noon);
        assertThat(CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00.5Z")).isEqualTo(noon + 500_000);
        assertThat(CanonicalTemporal.parseTimestamptz("infinity")).isEqualTo(Long.MAX_VALUE);
        assertThat(CanonicalTemporal.parseTime("24:00:00")).isEqualTo(CanonicalTemporal.MICROS_PER_DAY);
        assertThat(CanonicalTemporal.formatTime(CanonicalTemporal.MICROS_PER_DAY))
                .isEqualTo("24:00:00.000000");
        assertThat(CanonicalTemporal.parseTime("12:00:00.123456789".substring(0, 15)))
                .isEqualTo(43_200_123_456L);
    }

    @Test
    void mysqlDurationsKeepTheirHoursAndSign() {
        long limit = (838L * 3600 + 59 * 60 + 59) * CanonicalTemporal.MICROS_PER_SECOND;
        assertThat(CanonicalTemporal.formatTime(limit)).isEqualTo("838:59:59.000000");
        assertThat(CanonicalTemporal.formatTime(-limit)).isEqualTo("-838:59:59.000000");
        assertThat(CanonicalTemporal.formatTime(-3_600_000_001L)).isEqualTo("-01:00:00.000001");
        assertThat(CanonicalTemporal.formatTime(-1)).isEqualTo("-00:00:00.000001");
    }

    @Test
    void refusesWhatPostgresWouldReadDifferently() {
        assertThatThrownBy(() -> CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00"))
                .hasMessageContaining("zone");
        assertThatThrownBy(() -> CanonicalTemporal.parseTimestamp("2024-05-01T12:00:00+01"))
                .hasMessageContaining("no zone");
        assertThatThrownBy(() -> CanonicalTemporal.parseTime("23:60")).hasMessageContaining("valid time");
        assertThatThrownBy(() -> CanonicalTemporal.parseTime("24:00:01")).hasMessageContaining("valid time");
        assertThatThrownBy(() -> CanonicalTemporal.parseDate("2023-02-29")).hasMessageContaining("calendar date");
        assertThatThrownBy(() -> CanonicalTemporal.parseDate("24-01-01")).hasMessageContaining("4 digits");
        assertThatThrownBy(() -> CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00.0000001Z"))
                .hasMessageContaining("6 fractional digits");
        assertThat(CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00.000000000Z"))
                .isEqualTo(CanonicalTemporal.parseTimestamptz("2024-05-01T12:00:00Z"));
    }
}
