package io.undercurrent.rules;

/**
 * A looked-up table cannot answer now: it is still being loaded, it outgrew its memory bound, or no
 * lookup store was configured. A rule that consults it fails at run time and therefore denies (for
 * {@code exists} and for {@code !exists} alike), so an incomplete table never grants anything.
 */
public final class LookupUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LookupUnavailableException(String message) {
        // No stack trace: this is a state, reported through the rule's run-time error count.
        super(message, null, false, false);
    }
}
