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

    /** What the part is doing, as JSON-friendly values (maps, strings, numbers). */
    Object status();

    @Override
    void close();
}
