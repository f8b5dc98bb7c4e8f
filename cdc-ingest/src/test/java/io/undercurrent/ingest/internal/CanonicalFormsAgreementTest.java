package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.value.CanonicalTemporal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The temporal forms ingest writes (through java.time's formatters, in {@link CanonicalValues}) and
 * the forms the change contract defines once ({@link CanonicalTemporal}, which the live-query
 * language and the snapshot readers use) agree on every value: BC years, year 0, years past 9999,
 * microsecond boundaries, across PostgreSQL's whole range and beyond.
 */
class CanonicalFormsAgreementTest {

    private static final int CASES = 200_000;
    /** Within CanonicalTemporal's range (microseconds since 2000 in a long: about ±292,000 years). */
    private static final long MAX_SECONDS = 280_000L * 365 * 86_400;

    @Test
    void timestampsAgree() {
        Random random = new Random(20261130);
        for (int i = 0; i < CASES; i++) {
            long seconds = edge(random, i) ? edgeSecond(random) : random.nextLong(-MAX_SECONDS, MAX_SECONDS);
            int micros = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : 999_999) : random.nextInt(1_000_000);
            Instant instant = Instant.ofEpochSecond(seconds, micros * 1_000L);
            long value = CanonicalTemporal.fromUnix(seconds, micros * 1_000);
            assertThat(CanonicalTemporal.formatTimestamptz(value))
                    .as("timestamptz %s", instant)
                    .isEqualTo(CanonicalValues.UTC_MICROS.format(instant));
            assertThat(CanonicalTemporal.formatTimestamp(value))
                    .as("timestamp %s", instant)
                    .isEqualTo(CanonicalValues.LOCAL_MICROS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
        }
    }

    @Test
    void datesAgree() {
        Random random = new Random(7);
        for (int i = 0; i < CASES; i++) {
            long day = edge(random, i)
                    ? edgeSecond(random) / 86_400
                    : random.nextLong(-MAX_SECONDS / 86_400, MAX_SECONDS / 86_400);
            assertThat(CanonicalTemporal.formatDate(day))
                    .as("date %s", day)
                    .isEqualTo(LocalDate.ofEpochDay(day).toString());
        }
    }

    @Test
    void timesOfDayAgree() {
        Random random = new Random(11);
        long microsPerDay = 86_400_000_000L;
        for (int i = 0; i < CASES; i++) {
            long micros =
                    i < 4 ? new long[] {0, 1, microsPerDay - 1, 43_200_000_000L}[i] : random.nextLong(0, microsPerDay);
            assertThat(CanonicalTemporal.formatTime(micros))
                    .as("time %s", micros)
                    .isEqualTo(CanonicalValues.time(micros));
        }
        assertThat(CanonicalTemporal.formatTime(microsPerDay))
                .isEqualTo(CanonicalValues.time(microsPerDay))
                .isEqualTo("24:00:00.000000");
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
