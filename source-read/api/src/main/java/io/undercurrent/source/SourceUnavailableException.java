package io.undercurrent.source;

/**
 * The source database could not be reached, or a statement against it failed: the connection was
 * refused or lost, the pool timed out, the server ended the query. Retriable: the same read may
 * succeed once the database is back. The message names the source and what was being read.
 */
public final class SourceUnavailableException extends SourceReadException {
    private static final long serialVersionUID = 1L;

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
