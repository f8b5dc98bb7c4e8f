package io.undercurrent.source;

/**
 * The named table does not exist, or the connecting role cannot see it. The edge
 * answers it with the wire error code {@value #CODE}; the message names the table
 * and the source. Not retriable: the client must name another table, or someone must create
 * it or grant the role access.
 */
public final class UnknownTableException extends SourceReadException {
    private static final long serialVersionUID = 1L;

    /** The wire protocol's error code for this failure. */
    public static final String CODE = "unknown_table";

    private final String table;

    public UnknownTableException(String source, String table) {
        super(
                "table \"" + table + "\" not found" + (source == null ? "" : " in source \"" + source + "\"")
                        + ": write it as schema.table, spelled as in the database (case-sensitive, unquoted), and check"
                        + " that the database role Undercurrent connects with may read it",
                null);
        this.table = table;
    }

    /** The table name as requested. */
    public String table() {
        return table;
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
