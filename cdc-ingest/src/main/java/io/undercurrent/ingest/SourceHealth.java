package io.undercurrent.ingest;

import java.util.List;

/**
 * What one source is doing, for health endpoints and logs. Immutable.
 *
 * @param source           the source name
 * @param state            the current state
 * @param lastError        while not running: the cause of the last failure and, when it needs action,
 *                         what to do; null when running or never failed
 * @param changesPublished change events Kafka has acknowledged since start
 * @param restarts         how often the source was restarted after a failure
 * @param warnings         what the last start-up checks found worth knowing (tables without
 *                         {@code REPLICA IDENTITY FULL} or without a primary key...); never null
 * @param changesSkipped   changes read from the source that could not be turned into change events, since
 *                         start: never delivered (each is logged with its position); 0 in a healthy deployment
 */
public record SourceHealth(
        String source,
        State state,
        String lastError,
        long changesPublished,
        long restarts,
        List<String> warnings,
        long changesSkipped) {

    public enum State {
        /** Checking the database and connecting to it and to Kafka. */
        STARTING,
        /** Streaming changes. */
        RUNNING,
        /** Failed for a reason that may pass by itself (database or Kafka unreachable or restarting, connection
         *  lost); restarting with growing backoff from the last committed position. */
        RETRYING,
        /** Cannot work until someone fixes the cause named in {@code lastError} (wrong password, missing
         *  privilege, {@code wal_level} not logical...). Checked again at the longest backoff, so the source
         *  recovers by itself once the cause is fixed. */
        NEEDS_ACTION,
        /** Stopped on request. */
        STOPPED
    }

    public SourceHealth {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Nothing skipped. */
    public SourceHealth(
            String source, State state, String lastError, long changesPublished, long restarts, List<String> warnings) {
        this(source, state, lastError, changesPublished, restarts, warnings, 0);
    }

    /** Without warnings. */
    public SourceHealth(String source, State state, String lastError, long changesPublished, long restarts) {
        this(source, state, lastError, changesPublished, restarts, List.of());
    }

    public boolean healthy() {
        return state == State.RUNNING || state == State.STARTING;
    }
}
