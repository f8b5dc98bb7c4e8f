package io.undercurrent.ingest;

/** A failure that may pass by itself: the database or Kafka unreachable, restarting, or a lost connection. */
public final class RetriableSourceException extends SourceException {

    private static final long serialVersionUID = 1L;

    public RetriableSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
