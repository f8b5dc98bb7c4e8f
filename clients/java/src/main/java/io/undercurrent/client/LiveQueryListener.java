package io.undercurrent.client;

import java.util.List;

/**
 * Callbacks of one live query, all optional. Called on the client's thread, in the order frames arrive,
 * after the frame was applied to {@link LiveQuery#rows()}; keep them quick (hand slow work to another
 * thread), as the next frame waits.
 */
public interface LiveQueryListener<T> {

    /**
     * A snapshot replaced the rows: the first one, the one after {@link #onReset}, or after a reconnect
     * the server could not resume (the current server always answers a reconnect with one).
     */
    default void onSnapshot(List<T> rows) {}

    /** Deltas as they arrive, in commit order per row. */
    default void onChanges(List<Change<T>> changes) {}

    /** After a reconnect the server resumed the query: rows were kept and only the missed deltas follow. */
    default void onResumed() {}

    /** The rows are no longer valid (rules or identity changed, or resume was impossible); a snapshot follows. */
    default void onReset(String reason) {}

    /** The server refused or ended the query. */
    default void onError(ServerError error) {}
}
