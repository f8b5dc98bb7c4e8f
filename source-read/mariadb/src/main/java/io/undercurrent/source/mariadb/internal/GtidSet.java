package io.undercurrent.source.mariadb.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set, as {@code @@global.gtid_executed} prints it: {@code uuid:1-5:7-9,uuid2:1-3}, the
 * UUIDs separated by commas (MySQL adds a newline after each), each followed by its intervals
 * ({@code n} or {@code n-m}, inclusive). Since MySQL 8.3 a UUID's intervals may be grouped under tags
 * ({@code uuid:1-5:batch:1-3}): the intervals after a tag belong to {@code uuid:batch}. UUIDs and tags
 * are compared without regard to case, as MySQL does (it prints both in lower case).
 *
 * <p>Immutable and thread-safe.
 */
public final class GtidSet {

    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,31}");

    /** Intervals by {@code uuid} or {@code uuid:tag} (lower case): sorted, merged pairs {@code start, end}. */
    private final Map<String, long[]> intervals;

    private GtidSet(Map<String, long[]> intervals) {
        this.intervals = intervals;
    }

    /**
     * Parses a GTID set. Whitespace around its parts (the newlines MySQL prints) is ignored; an empty
     * text is the empty set (a server that has executed no GTID transaction).
     *
     * @throws IllegalArgumentException naming the part that is not a GTID set
     */
    public static GtidSet parse(String text) {
        Map<String, List<long[]>> parts = new TreeMap<>();
        String trimmed = text.strip();
        if (!trimmed.isEmpty()) {
            for (String member : trimmed.split(",", -1)) {
                parseMember(member.strip(), text, parts);
            }
        }
        Map<String, long[]> merged = new TreeMap<>();
        parts.forEach((key, list) -> merged.put(key, merge(list)));
        return new GtidSet(merged);
    }

    /** {@code uuid:interval[:interval]...[:tag:interval...]}. */
    private static void parseMember(String member, String whole, Map<String, List<long[]>> parts) {
        String[] pieces = member.split(":", -1);
        String uuid = pieces[0].strip();
        if (!UUID.matcher(uuid).matches()) {
            throw malformed(whole, "\"" + member + "\" does not start with a server UUID");
        }
        String key = uuid.toLowerCase(Locale.ROOT);
        boolean expectInterval = true;
        for (int i = 1; i < pieces.length; i++) {
            String piece = pieces[i].strip();
            if (!piece.isEmpty() && Character.isDigit(piece.charAt(0))) {
                parts.computeIfAbsent(key, k -> new ArrayList<>()).add(interval(piece, whole));
                expectInterval = false;
            } else if (TAG.matcher(piece).matches()) {
                if (expectInterval && i > 1) {
                    throw malformed(
                            whole, "tag \"" + piece + "\" follows a tag without intervals in \"" + member + "\"");
                }
                key = uuid.toLowerCase(Locale.ROOT) + ":" + piece.toLowerCase(Locale.ROOT);
                expectInterval = true;
            } else {
                throw malformed(whole, "\"" + piece + "\" in \"" + member + "\" is neither an interval nor a tag");
            }
        }
        if (expectInterval) {
            throw malformed(whole, "\"" + member + "\" ends without an interval");
        }
    }

    private static long[] interval(String piece, String whole) {
        int dash = piece.indexOf('-');
        try {
            long start =
                    Long.parseLong(dash < 0 ? piece : piece.substring(0, dash).strip());
            long end =
                    dash < 0 ? start : Long.parseLong(piece.substring(dash + 1).strip());
            if (start < 1 || end < start) {
                throw malformed(whole, "interval \"" + piece + "\" is empty or starts below 1");
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            throw malformed(whole, "interval \"" + piece + "\" is not n or n-m");
        }
    }

    private static long[] merge(List<long[]> list) {
        list.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] out = new long[list.size() * 2];
        int n = 0;
        for (long[] next : list) {
            if (n > 0 && next[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], next[1]);
            } else {
                out[n++] = next[0];
                out[n++] = next[1];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static IllegalArgumentException malformed(String whole, String why) {
        String shown = whole.length() > 200 ? whole.substring(0, 200) + "..." : whole;
        return new IllegalArgumentException("not a MySQL GTID set (" + why + "): \"" + shown + "\"");
    }

    /**
     * True when the set holds the transaction {@code gtid}: {@code uuid:n}, or {@code uuid:tag:n} for a
     * tagged one. A text that is not a single GTID is not held.
     */
    public boolean contains(String gtid) {
        int colon = gtid.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        long number;
        try {
            number = Long.parseLong(gtid.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            return false;
        }
        long[] ranges = intervals.get(gtid.substring(0, colon).strip().toLowerCase(Locale.ROOT));
        if (ranges == null) {
            return false;
        }
        // The greatest start at or below the number; its interval holds the number or none does.
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges[2 * mid] <= number) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && number <= ranges[2 * hi + 1];
    }

    /** True when the set holds no transaction. */
    public boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** The set in MySQL's form without whitespace, UUIDs and tags in lower case and sorted: {@link #parse} reads it back. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        String lastUuid = null;
        for (Map.Entry<String, long[]> e : intervals.entrySet()) {
            String key = e.getKey();
            int colon = key.indexOf(':');
            String uuid = colon < 0 ? key : key.substring(0, colon);
            if (!uuid.equals(lastUuid)) {
                if (lastUuid != null) {
                    s.append(',');
                }
                s.append(uuid);
                lastUuid = uuid;
            }
            if (colon >= 0) {
                s.append(':').append(key, colon + 1, key.length());
            }
            long[] r = e.getValue();
            for (int i = 0; i < r.length; i += 2) {
                s.append(':').append(r[i]);
                if (r[i + 1] != r[i]) {
                    s.append('-').append(r[i + 1]);
                }
            }
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GtidSet other) || !other.intervals.keySet().equals(intervals.keySet())) {
            return false;
        }
        return intervals.entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue(), other.intervals.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
