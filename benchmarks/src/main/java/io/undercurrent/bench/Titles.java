package io.undercurrent.bench;

/**
 * Finds the rows a frame carries by their {@code "title":"<kind><seq>"} field, scanning bytes: no
 * string, no JSON tree, no allocation. Both servers write a row's columns as compact JSON, so the
 * marker is exact. Kinds: {@code p} timed probe, {@code w} warm-up, {@code x} untimed load,
 * {@code b} bulk.
 */
final class Titles {

    private static final byte[] MARKER = "\"title\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Receives each row found. */
    interface Sink {
        void row(byte kind, long seq);
    }

    private Titles() {}

    static String title(char kind, long seq) {
        return kind + Long.toString(seq);
    }

    /** @return how many rows the frame carries */
    static int scan(byte[] a, int offset, int length, Sink sink) {
        int end = offset + length;
        int rows = 0;
        int i = offset;
        while ((i = indexOf(a, i, end)) >= 0) {
            int p = i + MARKER.length;
            if (p >= end) {
                break;
            }
            byte kind = a[p++];
            long seq = 0;
            int digits = 0;
            while (p < end && a[p] >= '0' && a[p] <= '9') {
                seq = seq * 10 + (a[p++] - '0');
                digits++;
            }
            if (digits > 0 && p < end && a[p] == '"') {
                sink.row(kind, seq);
                rows++;
            }
            i = p;
        }
        return rows;
    }

    /** True when the frame's {@code type} is {@code type}; looks only at the frame's start. */
    static boolean isType(byte[] a, int offset, int length, byte[] typeField) {
        int end = Math.min(offset + length, offset + 64);
        return indexOf(a, offset, end, typeField) >= 0;
    }

    static byte[] typeField(String type) {
        return ("\"type\":\"" + type + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] a, int from, int end) {
        return indexOf(a, from, end, MARKER);
    }

    private static int indexOf(byte[] a, int from, int end, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = from; i <= end - needle.length; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
