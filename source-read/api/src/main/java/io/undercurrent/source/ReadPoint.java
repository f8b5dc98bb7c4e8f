package io.undercurrent.source;

import io.undercurrent.change.ChangeStamp;

/**
 * Where a read stands in its source's history: which committed changes its rows already contain.
 * The edge stitches the change stream onto a read with it: a change the read saw is dropped, every
 * other change is applied. PostgreSQL decides by the snapshot's transaction ids
 * ({@code pg_current_snapshot()}), MySQL/MariaDB by the GTID set or binlog position of a consistent
 * snapshot, MongoDB by the snapshot's cluster time. Immutable, thread-safe.
 */
public interface ReadPoint {

    /**
     * @param change what the change event carries (never null; its fields may be)
     * @return true when the change's transaction committed before the read's snapshot, so its effects
     *         are in the rows; false when it did not, or when the stamp does not say (the edge then
     *         applies the change, which the client's held rows make harmless)
     */
    boolean sees(ChangeStamp change);

    /**
     * Whether the source's change stream, at a watermark ingest wrote into it, has delivered every
     * change this read sees: each partition of a change topic holds, before a watermark record, every
     * change of that partition that committed before the watermark's point, so a reader past a
     * watermark that is {@link Passage#AFTER} this read has read every change the read's rows hold.
     *
     * <p>PostgreSQL compares the two snapshots ({@code pg_current_snapshot()}). Sources whose ingest
     * writes no watermarks (MySQL/MariaDB, MongoDB for now) answer {@link Passage#UNKNOWN}, the default.
     *
     * @param watermark the point a watermark record carries, in the source's text form (never null)
     */
    default Passage passedBy(String watermark) {
        return Passage.UNKNOWN;
    }

    /** {@link #passedBy}'s answer. */
    enum Passage {
        /** Every change the read sees was delivered before the watermark. */
        AFTER,
        /** The read may see a change not yet delivered at the watermark (a later watermark will pass it). */
        NOT_AFTER,
        /** This kind of point cannot compare watermarks, or the watermark is not of its source's form. */
        UNKNOWN
    }

    /** The point as text: the protocol's snapshot {@code position} ({@code snapshot:<token>}) and logs. */
    String token();
}
