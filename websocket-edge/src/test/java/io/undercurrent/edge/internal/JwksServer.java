package io.undercurrent.edge.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real identity provider's key endpoint for tests: the JDK's HTTP server on a local port, serving
 * the public half of the keys it is given at {@code /.well-known/jwks.json}, and counting fetches.
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile List<JWK> keys;

    private JwksServer(int port, List<JWK> keys) {
        this.keys = List.copyOf(keys);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(this.keys).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Serves these keys on a free port. */
    public static JwksServer start(JWK... keys) {
        return new JwksServer(0, List.of(keys));
    }

    /** Serves these keys on the given port (one a test reserved and found unreachable first). */
    public static JwksServer startOn(int port, JWK... keys) {
        return new JwksServer(port, List.of(keys));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    /** Rotates the served keys. */
    public void serve(JWK... next) {
        keys = List.of(next);
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
