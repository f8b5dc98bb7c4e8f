package io.undercurrent.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/** Loopback port helpers shared by the embedded services. */
final class Ports {

    /** How many of the ports handed out last are remembered, so none of them is handed out again. */
    static final int REMEMBERED = 4096;

    /**
     * The ports this JVM handed out, newest last. The kernel often hands a just-released port out
     * again, and services that start side by side (the embedded database and broker) each pick theirs
     * before binding it: without this, two of them could be given the same port. A port is a resource
     * of the whole process, so this is kept once per JVM.
     */
    private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();

    private Ports() {}

    /**
     * A free port other than {@code taken}: the kernel may hand a just-released port out again at
     * once, so a second port picked for the same service can be the first one.
     */
    static int pickFreeOtherThan(int taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = pickFree();
            if (port != taken) {
                return port;
            }
        }
        throw new EmbeddedException("Could not find a free port other than " + taken + " on the loopback interface");
    }

    /**
     * Returns a port that was free on the loopback interface a moment ago and that this JVM has not
     * handed out before (among the last {@value #REMEMBERED}). Another process may still take it before
     * the caller binds it; the window is small and callers pick once and then keep the port for the
     * life of their instance.
     */
    static int pickFree() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = pickAnyFree();
            synchronized (HANDED_OUT) {
                if (HANDED_OUT.add(port)) {
                    if (HANDED_OUT.size() > REMEMBERED) {
                        HANDED_OUT.remove(HANDED_OUT.iterator().next());
                    }
                    return port;
                }
            }
        }
        throw new EmbeddedException(
                "Could not find a free port on the loopback interface that this process had not used already");
    }

    private static int pickAnyFree() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedException("Could not find a free port on the loopback interface: " + e, e);
        }
    }

    /**
     * Fails fast, with a message naming the service, the port and the option to change, when
     * {@code port} cannot be bound on the loopback interface. Cheaper and clearer than letting
     * the service itself fail half-way through its start.
     *
     * @param service the service that wants the port, e.g. "Kafka broker"
     * @param option the option that sets the port, e.g. "EmbeddedKafka.Options.withPort"
     */
    static void requireFree(int port, String service, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same as the services themselves: a port whose old connections linger in
            // TIME_WAIT after a restart counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw portInUse(port, service, option, e);
        }
    }

    static EmbeddedException portInUse(int port, String service, String option, Throwable cause) {
        return new PortInUseException(
                service + ": port " + port + " on the loopback interface is already in use ("
                        + cause.getMessage() + "). Stop the process that holds it, or choose another port with "
                        + option + " (0 picks a free port).",
                cause);
    }
}
