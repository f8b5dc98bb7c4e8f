package io.undercurrent.change;

/** A record on a change topic that cannot be read as a {@link ChangeEvent}. */
public final class MalformedChangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedChangeException(String message) {
        super(message);
    }

    public MalformedChangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
