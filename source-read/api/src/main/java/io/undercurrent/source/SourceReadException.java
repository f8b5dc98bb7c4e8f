package io.undercurrent.source;

/** A read or schema lookup failed; the subtype decides, once, whether trying again can help. */
public abstract class SourceReadException extends Exception {
    private static final long serialVersionUID = 1L;

    protected SourceReadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same request may succeed later without anyone changing anything. */
    public abstract boolean retriable();
}
