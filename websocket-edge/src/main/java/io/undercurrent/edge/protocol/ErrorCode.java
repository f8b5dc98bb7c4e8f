package io.undercurrent.edge.protocol;

import java.util.Locale;

/** The {@code code} of an error frame (protocol v1). The connection stays open after any of them. */
public enum ErrorCode {
    /** The frame is not valid JSON, lacks {@code type}, or has fields of the wrong shape. */
    BAD_REQUEST,
    /** The request needs a verified token and none was given, or it did not verify. */
    UNAUTHENTICATED,
    /** The token's {@code exp} has passed; send a fresh {@code auth} frame. */
    TOKEN_EXPIRED,
    /** The rules let this subscriber read nothing of the table. */
    FORBIDDEN,
    /** No such table in the source. */
    UNKNOWN_TABLE,
    /** The live query is invalid: unknown column or operator, wrong value type, too large. */
    INVALID_QUERY,
    /** Too many subscriptions on this connection, or a result too large. */
    LIMIT_EXCEEDED,
    /** The client sends faster than the edge allows; slow down. */
    RATE_LIMITED,
    /**
     * The edge is busy: every worker that reads initial results is taken and its queue is full. The
     * request did nothing; send it again after a pause (with backoff).
     */
    OVERLOADED,
    /** Undercurrent failed; the message says what, never with a stack trace. Retrying may help. */
    INTERNAL;

    /** The wire form, e.g. {@code invalid_query}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
