package io.undercurrent.embedded;

/**
 * An embedded service could not be started, stopped or prepared. The message names the service,
 * what failed and, where there is one, the option that fixes it. Not retriable as such: retrying
 * the same call with the same options fails the same way unless the cause (a busy port, a
 * directory formatted for another node) is removed first.
 */
public class EmbeddedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedException(String message) {
        super(message);
    }

    public EmbeddedException(String message, Throwable cause) {
        super(message, cause);
    }
}
