package io.undercurrent.ingest.internal;

import io.undercurrent.change.value.CanonicalTemporal;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * The canonical {@code timestamptz} of Debezium's {@code ZonedTimestamp} text. Debezium writes every
 * such value in UTC ({@code yyyy-MM-ddTHH:mm:ss[.f…]Z}); that form is read digit by digit, which costs
 * a fraction of {@link OffsetDateTime#parse}'s general ISO parser (a tenth of ingest's time per change
 * in a table with one such column). Any other form, and any field out of range, goes to that parser,
 * so what is accepted and what is refused stays exactly as before.
 */
final class ZonedTimestamps {

    private static final long NOT_UTC_FORM = Long.MIN_VALUE;

    private ZonedTimestamps() {}

    /**
     * @throws DateTimeParseException when {@code text} is not an ISO date-time with an offset
     */
    static String canonical(String text) {
        if ("infinity".equals(text) || "-infinity".equals(text)) {
            return text;
        }
        long micros = utcMicros(text);
        if (micros == NOT_UTC_FORM) {
            OffsetDateTime t = OffsetDateTime.parse(text);
            micros = CanonicalTemporal.fromUnix(t.toEpochSecond(), t.getNano());
        }
        return CanonicalTemporal.formatTimestamptz(micros);
    }

    /** Microseconds of the canonical epoch for {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, else {@link #NOT_UTC_FORM}. */
    static long utcMicros(String s) {
        int n = s.length();
        if (n < 20
                || n == 21
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z'
                || (n > 20 && s.charAt(19) != '.')) {
            return NOT_UTC_FORM;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > lengthOfMonth(year, month)) {
            return NOT_UTC_FORM;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return NOT_UTC_FORM;
            }
            int scale = 1;
            for (int width = n - 21; width < 9; width++) {
                scale *= 10;
            }
            nanos = fraction * scale;
        }
        long epochSecond =
                CanonicalTemporal.epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return CanonicalTemporal.fromUnix(epochSecond, nanos);
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal value of {@code s[from, to)}, at most 9 digits; -1 if any is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
