package io.undercurrent.change.value;

/**
 * Reads and writes the canonical temporal strings without {@code java.time}, so that
 * the matcher can compare a row's timestamp with a filter constant without allocating.
 *
 * <p>Values are plain {@code long}s: microseconds since 2000-01-01T00:00 for timestamps
 * (UTC for {@code timestamptz}, the wall clock for {@code timestamp}) — PostgreSQL's own
 * epoch, from which its whole range (4714 BC to 294276 AD) fits in a {@code long}, which
 * it would not from 1970 — days since 1970-01-01 for dates, microseconds since midnight
 * for times. {@code infinity} and
 * {@code -infinity} (which PostgreSQL allows for timestamps and dates) are
 * {@link Long#MAX_VALUE} and {@link Long#MIN_VALUE}, so they order as the database
 * orders them. The calendar is the proleptic Gregorian one with a year 0, like
 * ISO-8601, {@code java.time} and PostgreSQL's own arithmetic.
 *
 * <p>Accepted input: {@code [+-]yyyy-MM-dd}, then for timestamps {@code T} or a space,
 * {@code HH:mm[:ss[.f{1,9}]]}, then for {@code timestamptz} a zone ({@code Z} or
 * {@code ±HH[[:]mm[[:]ss]]}); digits past the sixth fractional one must be zero.
 * Anything else throws {@link IllegalArgumentException} with the reason.
 */
public final class CanonicalTemporal {
    public static final long MICROS_PER_SECOND = 1_000_000L;
    public static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    public static final long POS_INFINITY = Long.MAX_VALUE;
    public static final long NEG_INFINITY = Long.MIN_VALUE;
    /** 2000-01-01 in days since 1970-01-01. */
    public static final long POSTGRES_EPOCH_DAY = 10_957;

    private CanonicalTemporal() {}

    /** {@code timestamptz} text -> UTC microseconds since the epoch; a zone is required. */
    public static long parseTimestamptz(CharSequence s) {
        if (s.length() == 27 && s.charAt(26) == 'Z') {
            long fast = canonicalDateTime(s);
            if (fast != INVALID) {
                return fast;
            }
        }
        return parseTimestamp(s, true);
    }

    /** {@code timestamp} text -> wall-clock microseconds since the epoch; a zone is refused. */
    public static long parseTimestamp(CharSequence s) {
        if (s.length() == 26) {
            long fast = canonicalDateTime(s);
            if (fast != INVALID) {
                return fast;
            }
        }
        return parseTimestamp(s, false);
    }

    /** Marks "not in the fixed canonical layout"; no real value is this close to the minimum. */
    private static final long INVALID = Long.MIN_VALUE + 1;

    /**
     * The allocation-free path for the canonical layout {@code yyyy-MM-ddTHH:mm:ss.SSSSSS}
     * (what every row value is); anything else returns {@link #INVALID} for the general reader.
     */
    private static long canonicalDateTime(CharSequence s) {
        long days = canonicalDate(s);
        if (days == INVALID
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(19) != '.') {
            return INVALID;
        }
        long hour = digits(s, 11, 2);
        long minute = digits(s, 14, 2);
        long second = digits(s, 17, 2);
        long micros = digits(s, 20, 6);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0) {
            return INVALID;
        }
        return (days - POSTGRES_EPOCH_DAY) * MICROS_PER_DAY
                + ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND
                + micros;
    }

    private static long canonicalDate(CharSequence s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return INVALID;
        }
        long year = digits(s, 0, 4);
        int month = (int) digits(s, 5, 2);
        int day = (int) digits(s, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        return epochDay(year, month, day);
    }

    /** {@code n} decimal digits at {@code from}, or -1 if any is not a digit. */
    private static long digits(CharSequence s, int from, int n) {
        long v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code date} text -> days since 1970-01-01. */
    public static long parseDate(CharSequence s) {
        if (s.length() == 10) {
            long fast = canonicalDate(s);
            if (fast != INVALID) {
                return fast;
            }
        }
        long inf = infinity(s);
        if (inf != 0) {
            return inf;
        }
        TemporalCursor c = new TemporalCursor(s);
        long days = c.date();
        c.end("date");
        return days;
    }

    /** {@code time} text ({@code HH:mm[:ss[.ffffff]]}, {@code 24:00:00} allowed) -> microseconds since midnight. */
    public static long parseTime(CharSequence s) {
        if (s.length() == 15 && s.charAt(2) == ':' && s.charAt(5) == ':' && s.charAt(8) == '.') {
            long hour = digits(s, 0, 2);
            long minute = digits(s, 3, 2);
            long second = digits(s, 6, 2);
            long micros = digits(s, 9, 6);
            if (hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && micros >= 0) {
                return ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND + micros;
            }
        }
        TemporalCursor c = new TemporalCursor(s);
        long micros = c.time(true);
        c.end("time");
        return micros;
    }

    private static long parseTimestamp(CharSequence s, boolean zoned) {
        long inf = infinity(s);
        if (inf != 0) {
            return inf;
        }
        TemporalCursor c = new TemporalCursor(s);
        long days = c.date();
        char sep = c.next("'T' or a space after the date");
        if (sep != 'T' && sep != ' ') {
            throw new IllegalArgumentException("expected 'T' or a space after the date in \"" + s + "\"");
        }
        long micros = Math.addExact(dayStartMicros(days), c.time(false));
        if (zoned) {
            micros = Math.subtractExact(micros, c.zoneOffsetMicros());
        }
        c.end(zoned ? "timestamp with time zone" : "timestamp without time zone (no zone or offset)");
        return micros;
    }

    private static long infinity(CharSequence s) {
        if (contentEquals(s, "infinity")) {
            return POS_INFINITY;
        }
        if (contentEquals(s, "-infinity")) {
            return NEG_INFINITY;
        }
        return 0;
    }

    private static boolean contentEquals(CharSequence a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < b.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The timestamp value of midnight starting {@code epochDay} (days since 1970-01-01). */
    public static long dayStartMicros(long epochDay) {
        return Math.multiplyExact(epochDay - POSTGRES_EPOCH_DAY, MICROS_PER_DAY);
    }

    /** The timestamp value of a Unix time (seconds since 1970-01-01T00:00 plus nanoseconds). */
    public static long fromUnix(long epochSecond, int nanos) {
        return Math.addExact(
                Math.multiplyExact(epochSecond - POSTGRES_EPOCH_DAY * 86_400L, MICROS_PER_SECOND), nanos / 1000);
    }

    /** Days since the epoch of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    public static long epochDay(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static boolean isLeap(long year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    static int daysInMonth(long year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Canonical {@code timestamptz}: {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}, or {@code [-]infinity}. */
    public static String formatTimestamptz(long micros) {
        String inf = formatInfinity(micros);
        return inf != null
                ? inf
                : formatDateTime(micros, new StringBuilder(32)).append('Z').toString();
    }

    /** Canonical {@code timestamp}: {@code yyyy-MM-ddTHH:mm:ss.SSSSSS}, or {@code [-]infinity}. */
    public static String formatTimestamp(long micros) {
        String inf = formatInfinity(micros);
        return inf != null ? inf : formatDateTime(micros, new StringBuilder(32)).toString();
    }

    /** Canonical {@code date}: {@code yyyy-MM-dd}, or {@code [-]infinity}. */
    public static String formatDate(long days) {
        String inf = formatInfinity(days);
        return inf != null ? inf : appendDate(days, new StringBuilder(12)).toString();
    }

    /**
     * Canonical {@code time}: {@code HH:mm:ss.SSSSSS} ({@code 24:00:00.000000} for the end of day). A
     * MySQL {@code TIME} is a duration (-838:59:59 to 838:59:59): past a day it keeps its hours
     * ({@code 838:59:59.000000}), below zero it takes a minus sign ({@code -01:00:00.000001}).
     */
    public static String formatTime(long micros) {
        if (micros < 0) {
            return appendTime(-micros, new StringBuilder(17).append('-')).toString();
        }
        return appendTime(micros, new StringBuilder(16)).toString();
    }

    private static String formatInfinity(long v) {
        return v == POS_INFINITY ? "infinity" : v == NEG_INFINITY ? "-infinity" : null;
    }

    private static StringBuilder formatDateTime(long micros, StringBuilder b) {
        appendDate(Math.floorDiv(micros, MICROS_PER_DAY) + POSTGRES_EPOCH_DAY, b);
        return appendTime(Math.floorMod(micros, MICROS_PER_DAY), b.append('T'));
    }

    /** H. Hinnant's civil_from_days: {year, month, day}. */
    private static long[] civil(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return new long[] {y, m, d};
    }

    private static StringBuilder appendDate(long days, StringBuilder b) {
        long[] ymd = civil(days);
        long year = ymd[0];
        if (year > 9999) {
            pad(b.append('+'), year, 4);
        } else if (year < 0) {
            pad(b.append('-'), -year, 4);
        } else {
            pad(b, year, 4);
        }
        pad(b.append('-'), ymd[1], 2);
        return pad(b.append('-'), ymd[2], 2);
    }

    private static StringBuilder appendTime(long micros, StringBuilder b) {
        long secs = micros / MICROS_PER_SECOND;
        pad(b, secs / 3600, 2);
        pad(b.append(':'), secs / 60 % 60, 2);
        pad(b.append(':'), secs % 60, 2);
        return pad(b.append('.'), micros % MICROS_PER_SECOND, 6);
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String digits = Long.toString(v);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
