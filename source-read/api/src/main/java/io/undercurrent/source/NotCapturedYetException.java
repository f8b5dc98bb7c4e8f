package io.undercurrent.source;

/**
 * The source's changes are not being captured yet (for PostgreSQL: ingest's replication slot does
 * not exist), so a read now could not be stitched to the change stream: a change committed after it
 * might never be streamed. Retriable: ingest starts capturing within seconds of its first start.
 */
public final class NotCapturedYetException extends SourceReadException {
    private static final long serialVersionUID = 1L;

    public NotCapturedYetException(String message) {
        super(message, null);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
