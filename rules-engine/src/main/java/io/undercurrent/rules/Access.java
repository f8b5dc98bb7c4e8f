package io.undercurrent.rules;

import java.util.Map;

/**
 * The outcome of judging one row for one subscriber: may the row be sent, and which of its fields.
 *
 * <p>Instances are immutable and thread-safe; the engine shares them between evaluations, so never
 * synchronize on one or compare them by identity.
 */
public interface Access {

    /** True when the table's {@code read} rule is definitely true for this subscriber and row. */
    boolean allowed();

    /**
     * Whether {@code column} may be sent. False for every column when {@link #allowed()} is false;
     * otherwise true unless the rule masks the column and its mask was not definitely true.
     *
     * @param column a column name; never null
     */
    boolean fieldVisible(String column);

    /**
     * A new, mutable copy of {@code row} without the hidden fields, in the row's iteration order.
     *
     * @param row the row that was judged (or one with the same columns); never null
     * @throws IllegalStateException when {@link #allowed()} is false: a denied row has nothing to send
     */
    Map<String, Object> project(Map<String, ?> row);
}
