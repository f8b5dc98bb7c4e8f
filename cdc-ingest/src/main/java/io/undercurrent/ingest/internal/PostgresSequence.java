package io.undercurrent.ingest.internal;

/**
 * Reads Debezium's Postgres {@code source.sequence}: a JSON array of two decimal strings,
 * {@code ["<last commit lsn>","<lsn>"]}, either of which may be {@code null}.
 */
final class PostgresSequence {

    private PostgresSequence() {}

    /**
     * @return {last commit LSN (0 when null), LSN}, or null when the text is not such an array or the
     *         change's own LSN is missing
     */
    static long[] parse(String text) {
        if (text == null) {
            return null;
        }
        String body = text.trim();
        if (!body.startsWith("[") || !body.endsWith("]")) {
            return null;
        }
        String[] parts = body.substring(1, body.length() - 1).split(",", -1);
        if (parts.length != 2) {
            return null;
        }
        try {
            Long commit = lsn(parts[0]);
            Long lsn = lsn(parts[1]);
            return lsn == null ? null : new long[] {commit == null ? 0 : commit, lsn};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long lsn(String part) {
        String value = part.trim();
        if (value.equals("null") || value.isEmpty()) {
            return null;
        }
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
            value = value.substring(1, value.length() - 1);
        }
        return Long.parseUnsignedLong(value);
    }
}
