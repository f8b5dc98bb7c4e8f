package io.undercurrent.client;

import java.util.Map;

/**
 * One delta of a {@code changes} frame, already applied to {@link LiveQuery#rows()}.
 *
 * @param op  what happened to the row in this query's result
 * @param key the row's primary key, column name to value
 * @param row the row after the change; null for {@link Op#REMOVED}. Columns the database did not
 *            resend (PostgreSQL TOAST) carry their previous value
 */
public record Change<T>(Op op, Map<String, Object> key, T row) {

    public enum Op {
        /** The row entered the result. */
        ADDED,
        /** The row changed and is still in the result. */
        CHANGED,
        /** The row left the result (deleted, no longer matching, or no longer readable). */
        REMOVED
    }
}
