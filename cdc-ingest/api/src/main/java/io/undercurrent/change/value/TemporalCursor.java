package io.undercurrent.change.value;

/**
 * The general (allocating) reader behind {@link CanonicalTemporal}, for input that is not
 * already in the canonical fixed layout: signed or long years, optional seconds and
 * fractions, zone offsets. Validates every field range, as PostgreSQL's input does.
 */
final class TemporalCursor {
    private final CharSequence s;
    private int pos;

    TemporalCursor(CharSequence s) {
        this.s = s;
    }

    /** {@code [+-]yyyy-MM-dd} -> days since the epoch. */
    long date() {
        boolean negative = false;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
            negative = s.charAt(pos++) == '-';
        }
        int start = pos;
        long year = digits(9);
        if (pos - start < 4) {
            throw fail("a year of at least 4 digits");
        }
        if (negative) {
            year = -year;
        }
        expect('-');
        int month = (int) fixedDigits(2, "a two-digit month");
        expect('-');
        int day = (int) fixedDigits(2, "a two-digit day");
        if (month < 1 || month > 12 || day < 1 || day > CanonicalTemporal.daysInMonth(year, month)) {
            throw fail("a valid calendar date");
        }
        return CanonicalTemporal.epochDay(year, month, day);
    }

    /** {@code HH:mm[:ss[.f{1,9}]]} -> microseconds since midnight; {@code 24:00} only when allowed. */
    long time(boolean allow24) {
        long hour = fixedDigits(2, "a two-digit hour");
        expect(':');
        long minute = fixedDigits(2, "two-digit minutes");
        long second = 0;
        long micros = 0;
        if (pos < s.length() && s.charAt(pos) == ':') {
            pos++;
            second = fixedDigits(2, "two-digit seconds");
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                micros = fraction();
            }
        }
        boolean endOfDay = hour == 24 && minute == 0 && second == 0 && micros == 0;
        if ((hour > 23 && !(allow24 && endOfDay)) || minute > 59 || second > 59) {
            throw fail("a valid time of day");
        }
        return ((hour * 60 + minute) * 60 + second) * CanonicalTemporal.MICROS_PER_SECOND + micros;
    }

    /** {@code Z} or {@code ±HH[[:]mm[[:]ss]]} -> the offset east of UTC in microseconds. */
    long zoneOffsetMicros() {
        if (pos >= s.length()) {
            throw fail("a zone offset (Z or +HH:MM)");
        }
        char c = s.charAt(pos++);
        if (c == 'Z' || c == 'z') {
            return 0;
        }
        if (c != '+' && c != '-') {
            throw fail("a zone offset (Z or +HH:MM)");
        }
        long seconds = fixedDigits(2, "offset hours") * 3600;
        for (int part = 0; part < 2 && pos < s.length(); part++) {
            if (s.charAt(pos) == ':') {
                pos++;
            }
            seconds += fixedDigits(2, "offset minutes/seconds") * (part == 0 ? 60 : 1);
        }
        if (seconds > 15 * 3600 + 59 * 60 + 59) {
            throw fail("an offset within ±15:59:59");
        }
        long micros = seconds * CanonicalTemporal.MICROS_PER_SECOND;
        return c == '-' ? -micros : micros;
    }

    char next(String what) {
        if (pos >= s.length()) {
            throw fail(what);
        }
        return s.charAt(pos++);
    }

    void end(String what) {
        if (pos != s.length()) {
            throw new IllegalArgumentException("unexpected text at position " + pos + ": expected a " + what);
        }
    }

    private long fraction() {
        int start = pos;
        long value = 0;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            int n = pos - start;
            int d = s.charAt(pos++) - '0';
            if (n < 6) {
                value = value * 10 + d;
            } else if (d != 0 || n >= 9) {
                throw fail("at most 6 fractional digits (PostgreSQL keeps microseconds)");
            }
        }
        int n = Math.min(pos - start, 6);
        if (n == 0) {
            throw fail("fractional digits after '.'");
        }
        for (int i = n; i < 6; i++) {
            value *= 10;
        }
        return value;
    }

    private long digits(int max) {
        long v = 0;
        int start = pos;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            if (pos - start >= max) {
                throw fail("a number of at most " + max + " digits");
            }
            v = v * 10 + (s.charAt(pos++) - '0');
        }
        return v;
    }

    private long fixedDigits(int n, String what) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw fail(what);
            }
            v = v * 10 + (s.charAt(pos++) - '0');
        }
        return v;
    }

    private void expect(char c) {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw fail("'" + c + "'");
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private IllegalArgumentException fail(String expected) {
        return new IllegalArgumentException("expected " + expected + " at position " + pos);
    }
}
