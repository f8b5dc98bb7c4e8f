package io.undercurrent.server.http;

import io.undercurrent.server.metrics.NodeMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * {@code GET /metrics}: every metric of this process in the Prometheus text format. Open to every
 * caller, like {@code /health}'s short form: counts and durations, no label naming a user, no address.
 */
final class MetricsHandler implements HttpHandler {

    private final NodeMetrics metrics;

    MetricsHandler(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // reading each role's health may block briefly
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        exchange.getResponseSender().send(metrics.scrape());
    }
}
