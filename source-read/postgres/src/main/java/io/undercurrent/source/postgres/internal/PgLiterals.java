package io.undercurrent.source.postgres.internal;

import io.undercurrent.change.value.CanonicalTemporal;

/** Canonical values written the way PostgreSQL's input functions read them. Stateless. */
public final class PgLiterals {

    private PgLiterals() {}

    /**
     * A literal PostgreSQL's input functions accept for the same value: years outside
     * 1..9999 are written the database's way ({@code 0044-03-15 BC}, {@code 10000-01-01}),
     * which ISO-8601's {@code -0043} / {@code +10000} are not.
     *
     * @param value  a {@link CanonicalTemporal} value: days for a date, microseconds for a timestamp
     * @param isDate whether {@code value} is a date
     * @param zoned  whether a timestamp is {@code timestamptz} (written in UTC, {@code +00})
     */
    public static String postgresLiteral(long value, boolean isDate, boolean zoned) {
        if (value == CanonicalTemporal.POS_INFINITY) {
            return "infinity";
        }
        if (value == CanonicalTemporal.NEG_INFINITY) {
            return "-infinity";
        }
        String iso = isDate ? CanonicalTemporal.formatDate(value) : CanonicalTemporal.formatTimestamp(value);
        int dash = iso.indexOf('-', 1);
        long year = Long.parseLong(iso.substring(0, dash)); // "+10000", "-0043", "2024"
        boolean bc = year <= 0;
        String digits = Long.toString(bc ? 1 - year : year);
        StringBuilder b = new StringBuilder(40);
        for (int i = digits.length(); i < 4; i++) {
            b.append('0');
        }
        b.append(digits).append(iso, dash, iso.length());
        if (!isDate) {
            b.setCharAt(b.indexOf("T"), ' ');
            if (zoned) {
                b.append("+00");
            }
        }
        return bc ? b.append(" BC").toString() : b.toString();
    }
}
