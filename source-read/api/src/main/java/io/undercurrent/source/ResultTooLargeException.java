package io.undercurrent.source;

/**
 * The gate admitted more rows than the read allowed ({@link ReadRequest#maxRows()}). Not retriable:
 * the client must narrow the filter or set a limit, which the message says.
 */
public final class ResultTooLargeException extends SourceReadException {
    private static final long serialVersionUID = 1L;

    private final int maxRows;

    public ResultTooLargeException(int maxRows) {
        super("the result has more than " + maxRows + " rows; narrow the filter or set a limit", null);
        this.maxRows = maxRows;
    }

    /** The cap the result went past. */
    public int maxRows() {
        return maxRows;
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
