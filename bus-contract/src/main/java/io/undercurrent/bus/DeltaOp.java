package io.undercurrent.bus;

/**
 * How one change affects one subscription's result, as the router sees it. The edge, which knows
 * which keys its client holds, turns these into the protocol's added / changed / removed.
 */
public enum DeltaOp {
    /** The row entered the result. */
    ADDED,
    /** The row is in the result and its visible contents changed. */
    CHANGED,
    /** The row left the result (deleted, no longer matches, or no longer readable). */
    REMOVED
}
