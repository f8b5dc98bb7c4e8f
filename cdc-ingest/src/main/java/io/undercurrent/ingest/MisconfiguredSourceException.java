package io.undercurrent.ingest;

/**
 * A failure that lasts until someone fixes it: wrong password, missing privilege, the database not set
 * up for change capture ({@code wal_level}, binlog format), an unknown database. The message names
 * every problem found and what to do about each.
 */
public final class MisconfiguredSourceException extends SourceException {

    private static final long serialVersionUID = 1L;

    public MisconfiguredSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public MisconfiguredSourceException(String message) {
        super(message, null);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
