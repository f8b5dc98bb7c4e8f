package io.undercurrent.source.postgres.internal;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;
import java.util.Arrays;

/**
 * Which transactions a Postgres snapshot sees, from {@code pg_current_snapshot()} ({@code xmin:xmax:xip,...}).
 * A change whose transaction the snapshot sees is already in the snapshot's rows and must not be
 * applied again; any other change must be. Transaction ids from the change stream are 32-bit xids,
 * so comparisons are modulo 2^32 the way Postgres compares them, and stay right across wraparound.
 * Immutable and thread-safe.
 */
public final class PgSnapshotPoint implements ReadPoint {

    private final int xmin;
    private final int xmax;
    private final int[] inProgress;
    private final String text;

    private PgSnapshotPoint(int xmin, int xmax, int[] inProgress, String text) {
        this.xmin = xmin;
        this.xmax = xmax;
        this.inProgress = inProgress;
        this.text = text;
    }

    /** Parses the text form of {@code pg_snapshot} (64-bit xids with epoch; the low 32 bits are kept). */
    public static PgSnapshotPoint parse(String snapshot) {
        String[] parts = snapshot.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a pg_snapshot: " + snapshot);
        }
        int[] xip = parts[2].isEmpty()
                ? new int[0]
                : Arrays.stream(parts[2].split(","))
                        .mapToInt(x -> (int) Long.parseLong(x.trim()))
                        .sorted()
                        .toArray();
        return new PgSnapshotPoint((int) Long.parseLong(parts[0]), (int) Long.parseLong(parts[1]), xip, snapshot);
    }

    /** Ingest's PostgreSQL change events carry the xid in decimal as their {@code txId}; without one, nothing is known. */
    @Override
    public boolean sees(ChangeStamp change) {
        return change.txId() != null && sees(Long.parseLong(change.txId()));
    }

    /** True when the snapshot already contains the effects of transaction {@code txId} (a 32-bit xid). */
    public boolean sees(long txId) {
        int xid = (int) txId;
        if (precedes(xid, xmin)) {
            return true;
        }
        if (!precedes(xid, xmax)) {
            return false;
        }
        for (int x : inProgress) {
            if (x == xid) {
                return false;
            }
        }
        return true;
    }

    /**
     * A watermark's snapshot W passes this read's snapshot R when W sees everything R sees: every
     * transaction R sees is below R's xmax and not in R's in-progress list; it is below W's xmax too
     * when R.xmax &le; W.xmax, and W lists it as in progress only if some xid of W's list is below
     * R.xmax and not in R's list. So: R.xmax &le; W.xmax, and every xid W lists is &ge; R.xmax or
     * listed by R. A transaction W sees committed before W was taken, hence before the watermark's
     * message was written, and logical decoding delivers it before that message.
     */
    @Override
    public Passage passedBy(String watermark) {
        PgSnapshotPoint w;
        try {
            w = parse(watermark);
        } catch (IllegalArgumentException e) {
            return Passage.UNKNOWN;
        }
        return passedBy(w) ? Passage.AFTER : Passage.NOT_AFTER;
    }

    /** Whether snapshot {@code w} sees every transaction this snapshot sees. */
    public boolean passedBy(PgSnapshotPoint w) {
        if (precedes(w.xmax, xmax)) {
            return false;
        }
        for (int x : w.inProgress) {
            if (precedes(x, xmax) && Arrays.binarySearch(inProgress, x) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Postgres' TransactionIdPrecedes for normal xids: a before b modulo 2^32. */
    private static boolean precedes(int a, int b) {
        return a - b < 0;
    }

    /** The {@code pg_snapshot} text, as read. */
    @Override
    public String token() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
