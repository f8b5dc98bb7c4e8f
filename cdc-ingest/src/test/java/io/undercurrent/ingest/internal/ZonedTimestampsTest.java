package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.value.CanonicalTemporal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZonedTimestampsTest {

    /** What ingest did before the digit-by-digit reading: the general ISO parser. */
    private static String byIsoParser(String text) {
        OffsetDateTime t = OffsetDateTime.parse(text);
        return CanonicalTemporal.formatTimestamptz(CanonicalTemporal.fromUnix(t.toEpochSecond(), t.getNano()));
    }

    @Test
    void debeziumsUtcFormIsReadDirectlyAndAgreesWithTheIsoParserAtEveryFractionWidth() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(
                    random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
            int width = random.nextInt(10);
            DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd'T'HH:mm:ss");
            if (width > 0) {
                b.appendFraction(ChronoField.NANO_OF_SECOND, width, width, true);
            }
            DateTimeFormatter f = b.appendLiteral('Z').toFormatter();
            String text = f.format(at.atOffset(ZoneOffset.UTC));
            assertThat(ZonedTimestamps.utcMicros(text)).as(text).isNotEqualTo(Long.MIN_VALUE);
            assertThat(ZonedTimestamps.canonical(text)).as(text).isEqualTo(byIsoParser(text));
        }
    }

    @Test
    void leapDaysAndTheEdgesOfTheDayAreRead() {
        for (String text : new String[] {
            "2024-02-29T23:59:59.999999Z",
            "2000-02-29T00:00:00Z",
            "1970-01-01T00:00:00.000001Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59.5Z"
        }) {
            assertThat(ZonedTimestamps.utcMicros(text)).as(text).isNotEqualTo(Long.MIN_VALUE);
            assertThat(ZonedTimestamps.canonical(text)).as(text).isEqualTo(byIsoParser(text));
        }
    }

    @Test
    void otherFormsGoToTheIsoParserAndAreReadAsBefore() {
        for (String text : new String[] {
            "2024-06-01T12:00:00+02:00", "2024-06-01T12:00:00.25-05:30", "+10000-01-01T00:00:00Z", "2024-06-01T12:00Z"
        }) {
            assertThat(ZonedTimestamps.utcMicros(text)).as(text).isEqualTo(Long.MIN_VALUE);
            assertThat(ZonedTimestamps.canonical(text)).as(text).isEqualTo(byIsoParser(text));
        }
    }

    @Test
    void outOfRangeFieldsGoToTheIsoParserWhichDecidesAsBefore() {
        for (String text : new String[] {
            "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01 00:00:00Z", "2024-0a-01T00:00:00Z", "not a time"
        }) {
            assertThat(ZonedTimestamps.utcMicros(text)).as(text).isEqualTo(Long.MIN_VALUE);
            String before;
            try {
                before = byIsoParser(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> ZonedTimestamps.canonical(text))
                        .as(text)
                        .isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(ZonedTimestamps.canonical(text)).as(text).isEqualTo(before);
        }
        assertThatThrownBy(() -> ZonedTimestamps.canonical("2023-02-29T00:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void infinitiesStayWords() {
        assertThat(ZonedTimestamps.canonical("infinity")).isEqualTo("infinity");
        assertThat(ZonedTimestamps.canonical("-infinity")).isEqualTo("-infinity");
    }
}
