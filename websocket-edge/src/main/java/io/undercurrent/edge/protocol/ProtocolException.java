package io.undercurrent.edge.protocol;

/** A request the edge refuses, with the error code and message the client is sent. */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String requestId;

    public ProtocolException(ErrorCode code, String requestId, String message) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code id} of the request that failed, or null. */
    public String requestId() {
        return requestId;
    }
}
