package io.undercurrent.client;

/** Where a live query stands. */
public enum QueryStatus {
    /** Waiting for the first snapshot, or for the snapshot after a reset (rows are the previous ones meanwhile). */
    LOADING,
    /** Rows are current; changes are applied as they arrive. */
    LIVE,
    /** The connection was lost; rows are the last known ones until the server answers again. */
    RECONNECTING,
    /**
     * The server refused or ended the query ({@link LiveQuery#error()}). {@code internal},
     * {@code rate_limited} and {@code overloaded} are retried with backoff; other codes stay until the query is closed.
     */
    ERROR,
    /** Closed by {@link LiveQuery#close()}, or the client was closed. */
    CLOSED
}
