package io.undercurrent.server.roles;

/**
 * One running part of the server (embedded infrastructure, a role, the HTTP listener). Started in
 * order, stopped in reverse order; {@link #close()} must be bounded in time.
 */
public interface Service extends AutoCloseable {

    /** A short name for logs and the health endpoint. */
    String name();

    /** True when the part works as it should; its {@link #status()} says why not. */
    boolean healthy();

    /**
     * True when the part can do its share of serving live queries right now (a router routes its
     * partitions, an edge receives deliveries); a healthy part may be not ready yet, while it starts or
     * takes over work. By default the same as {@link #healthy()}.
     */
    default boolean ready() {
        return healthy();
    }

    /** What the part is doing, as JSON-friendly values (maps, strings, numbers). */
    Object status();

    @Override
    void close();
}
