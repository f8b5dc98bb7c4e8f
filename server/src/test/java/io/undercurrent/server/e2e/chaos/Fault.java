package io.undercurrent.server.e2e.chaos;

/** What a scenario does to the running server once, under load: nothing, or a SIGKILL of one process. */
enum Fault {
    /** No process dies. */
    NONE,
    /**
     * The ingest process (Debezium to Kafka); it publishes again what it read since its last committed
     * source offset, and live queries that stay subscribed must not see any of it twice or out of order.
     */
    INGEST,
    /** The router process; it replays changes from its last committed offsets and re-reads the subscriptions. */
    ROUTER,
    /** One of the two edges; its clients lose their connection and reconnect to any edge. */
    EDGE,
    /** A server running every role in one process; every client reconnects once it is back. */
    SERVER;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
