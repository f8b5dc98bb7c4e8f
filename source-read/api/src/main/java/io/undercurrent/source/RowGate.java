package io.undercurrent.source;

import java.util.Map;

/**
 * Judges each row a read returns, for one subscriber: the edge's read rules, field masks and
 * projection ({@code RowView}). Readers know nothing of rules; they hand every matching row here.
 */
@FunctionalInterface
public interface RowGate {

    /** Admits every row as read (tests, tools). */
    RowGate ALL = row -> row;

    /**
     * @param row a whole row of canonical values: every column of the table, in column order
     * @return the row as the subscriber may see it, or null to leave it out; a row left out does not
     *         count towards the query's {@code limit}
     */
    Map<String, Object> admit(Map<String, Object> row);
}
