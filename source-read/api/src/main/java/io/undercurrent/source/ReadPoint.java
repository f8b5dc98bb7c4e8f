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

    /** The point as text: the protocol's snapshot {@code position} ({@code snapshot:<token>}) and logs. */
    String token();
}
