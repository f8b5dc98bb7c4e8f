package io.undercurrent.rules;

/**
 * A looked-up table would outgrow its memory bound ({@link LookupLimits}). The row was not stored,
 * and the table is unavailable from then on (rules that consult it deny) until it is loaded again
 * with a higher bound: a table missing rows could otherwise let {@code !exists(...)} grant. The
 * message names the table and the setting to raise.
 */
public final class LookupLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final TableRef table;

    public LookupLimitException(TableRef table, String message) {
        super(message);
        this.table = table;
    }

    /** The table that outgrew its bound. */
    public TableRef table() {
        return table;
    }
}
