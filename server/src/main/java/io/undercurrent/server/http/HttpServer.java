package io.undercurrent.server.http;

import io.undercurrent.server.metrics.NodeMetrics;
import io.undercurrent.server.roles.Service;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP listener: {@code /v1/live} (WebSocket, when this process runs an edge),
 * {@code /health} with {@code /health/live} and {@code /health/ready}, {@code /metrics}, the JavaScript client at {@code /v1/undercurrent.js}, and the example apps at
 * {@code /} (examples/todos-web) and {@code /chat/} (examples/chat-web, with its write endpoint) with
 * {@code /dev/token} while the embedded default signs with its development secret.
 */
public final class HttpServer implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final HttpListener listener;
    private final String host;
    private String address;

    /**
     * @param live     the edge's WebSocket handler, or null when this process runs no edge
     * @param devToken the development token handler, or null outside the embedded default
     * @param health   who may read the detail of {@code /health}
     * @param limits   what each client may hold: connections, time to send a request
     * @param metrics  served at {@code /metrics}
     */
    public HttpServer(
            String host,
            int port,
            HttpHandler live,
            DevTokenHandler devToken,
            List<Service> services,
            HealthAccess health,
            HttpLimits limits,
            NodeMetrics metrics) {
        this(host, port, live, null, devToken, devToken != null, null, services, health, limits, metrics);
    }

    /**
     * @param liveEvents the edge's Server-Sent Events handler ({@code /v1/live/sse}), or null
     * @param examples   whether to serve the example apps (at {@code /}, with {@code devToken} only: they
     *     need the demo database and development tokens)
     * @param chatWrites the chat example's write endpoint ({@value ChatExampleWrites#PATH}), or null; mounted
     *     only with {@code devToken}
     */
    public HttpServer(
            String host,
            int port,
            HttpHandler live,
            HttpHandler liveEvents,
            DevTokenHandler devToken,
            boolean examples,
            ChatExampleWrites chatWrites,
            List<Service> services,
            HealthAccess health,
            HttpLimits limits,
            NodeMetrics metrics) {
        PathHandler paths = Handlers.path()
                .addExactPath("/health", new HealthHandler(services, health))
                .addExactPath("/health/live", new LivenessHandler())
                .addExactPath("/health/ready", new ReadinessHandler(services))
                .addExactPath("/metrics", new MetricsHandler(metrics))
                .addExactPath(
                        "/v1/undercurrent.js",
                        new ClasspathFileHandler(
                                "io/undercurrent/edge/client/undercurrent.js", "text/javascript; charset=utf-8"));
        if (live != null) {
            paths.addExactPath("/v1/live", live);
        }
        if (liveEvents != null) {
            paths.addExactPath("/v1/live/sse", liveEvents);
        }
        if (devToken != null) {
            paths.addExactPath("/dev/token", devToken);
            if (chatWrites != null) {
                paths.addExactPath(ChatExampleWrites.PATH, chatWrites);
            }
            if (examples) {
                paths.addPrefixPath(
                        "/",
                        Handlers.resource(new ClassPathResourceManager(HttpServer.class.getClassLoader(), "example"))
                                .setWelcomeFiles("index.html")
                                .setDirectoryListingEnabled(false));
            }
        }
        this.listener = new HttpListener(host, port, paths, limits);
        this.host = "0.0.0.0".equals(host) ? "localhost" : host;
    }

    public void start() {
        java.net.InetSocketAddress bound = listener.start();
        this.address = "http://" + host + ":" + bound.getPort();
        LOG.info("listening on {}", address);
    }

    public String address() {
        return address;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public Object status() {
        return Map.of(
                "address",
                address,
                "connections",
                listener.openConnections(),
                "refusedConnections",
                listener.refusedConnections());
    }

    @Override
    public void close() {
        listener.stop();
    }
}
