package io.undercurrent.query;

/**
 * A live query the server will not run: unknown column or operator, a value of the
 * wrong type for its column, bad {@code fields}/{@code orderBy}/{@code limit}, or a
 * filter past the {@link QueryLimits}. The edge answers it with the wire error code
 * {@value #CODE} and {@link #getMessage()}, which names the offending JSON path
 * (for example {@code where.and[1].owner_id.gt}) and says how to fix it. The message
 * never echoes long client input in full, and never carries a stack trace to the client.
 */
public class InvalidQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The wire protocol's error code for this failure. */
    public static final String CODE = "invalid_query";

    private final String path;
    private final String reason;

    /**
     * @param path   the JSON path of the offending element, from the subscribe frame's root
     *               ({@code where.status.eq}, {@code orderBy[0][1]}, {@code limit})
     * @param reason what is wrong and what would be right
     */
    public InvalidQueryException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** The JSON path of the offending element. */
    public String path() {
        return path;
    }

    /** The reason, without the path. */
    public String reason() {
        return reason;
    }
}
