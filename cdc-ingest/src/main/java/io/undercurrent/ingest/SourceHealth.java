package io.undercurrent.ingest;

/**
 * What one source is doing, for health endpoints and logs.
 *
 * @param source          the source name
 * @param state           the current state
 * @param lastError       the cause of the last failure, in words, or null
 * @param changesPublished change events Kafka has acknowledged since start
 * @param restarts        how often the source was restarted after a failure
 */
public record SourceHealth(String source, State state, String lastError, long changesPublished, long restarts) {

    public enum State {
        /** Connecting to the database and Kafka. */
        STARTING,
        /** Streaming changes. */
        RUNNING,
        /** Failed; waiting to restart from the last committed position. */
        RETRYING,
        /** Stopped on request. */
        STOPPED
    }

    public boolean healthy() {
        return state == State.RUNNING || state == State.STARTING;
    }
}
