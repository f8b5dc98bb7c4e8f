package io.undercurrent.ingest;

/**
 * Why a source stopped. Every failure of a source is one of two types, decided in one place: a
 * {@link RetriableSourceException} may pass by itself and is retried with backoff; a
 * {@link MisconfiguredSourceException} needs someone to act (its message says what) and is only
 * re-checked now and then.
 */
public abstract sealed class SourceException extends RuntimeException
        permits RetriableSourceException, MisconfiguredSourceException {

    private static final long serialVersionUID = 1L;

    SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when waiting may be enough; false when the database or configuration must change first. */
    public abstract boolean retriable();
}
