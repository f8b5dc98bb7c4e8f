package io.undercurrent.edge.internal;

/** A resume cannot be exact; the message is the {@code reset} reason the client receives. */
final class NotResumableException extends Exception {

    private static final long serialVersionUID = 1L;

    NotResumableException(String reason) {
        super(reason, null, false, false);
    }
}
