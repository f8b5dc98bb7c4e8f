package io.undercurrent.embedded;

/**
 * The port an embedded service was to listen on is held by someone else. When the port was picked
 * by the service itself (port 0), its start tries another one: a port found free a moment earlier
 * can be taken meanwhile, for instance as the local end of a connection another part of the process
 * opens while the services start side by side.
 */
final class PortInUseException extends EmbeddedException {

    private static final long serialVersionUID = 1L;

    /** How many ports a service that picks its own tries before it gives up. */
    static final int PICKED_PORT_ATTEMPTS = 3;

    PortInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
