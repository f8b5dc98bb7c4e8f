package io.undercurrent.rules.internal;

/** Turns a rule's run-time failure (often wrapped by MVEL) into a one-line reason. */
final class RuleErrors {

    private RuleErrors() {}

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ArithmeticException) {
            return cause.getMessage();
        }
        String message = cause.getMessage() == null
                ? ""
                : cause.getMessage().lines().findFirst().orElse("");
        return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
