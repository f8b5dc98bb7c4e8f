package io.undercurrent.server.config;

/** Which parts of Undercurrent one process runs. */
public enum Role {
    /** Every role in one process (the default, and what the embedded default runs). */
    ALL,
    /** Capture source databases into Kafka. */
    INGEST,
    /** Match changes to subscriptions. */
    ROUTER,
    /** Serve WebSocket clients. */
    EDGE;

    public boolean runsIngest() {
        return this == ALL || this == INGEST;
    }

    public boolean runsRouter() {
        return this == ALL || this == ROUTER;
    }

    public boolean runsEdge() {
        return this == ALL || this == EDGE;
    }
}
