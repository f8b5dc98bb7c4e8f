package io.undercurrent.server.e2e.chaos;

/** What a scenario does to the running server once, under load: nothing, or a SIGKILL of one process. */
enum Fault {
    /** No process dies. */
    NONE,
    /** The ingest process (Debezium to Kafka); its changes are replayed from the last committed source offset. */
    INGEST,
    /** The router process; it replays changes from its last committed offsets and re-reads the subscriptions. */
    ROUTER,
    /** One of the two edges; its clients lose their connection and reconnect to any edge. */
    EDGE,
    /** A server running every role in one process; every client reconnects once it is back. */
    SERVER;

    /**
     * Whether live queries that stay subscribed across the fault see what ingest replays after it.
     * A whole server's clients all subscribe again, and their new snapshots already hold every change
     * committed before the crash, so stitching drops the replays; only a lone ingest crash reaches
     * live queries with them.
     */
    boolean replaysReachLiveQueries() {
        return this == INGEST;
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
