package io.undercurrent.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * {@code GET /health/live}: 200 whenever the process answers HTTP. It checks nothing else on purpose:
 * every part recovers from a lost dependency by itself (ingest restarts its source with backoff,
 * routers rejoin their group, edges reconnect to Kafka), so an orchestrator that restarted the
 * process for such a loss would only add a cold start to the outage. A process that no longer
 * answers (deadlocked, out of memory, its worker threads stuck) fails it by timing out.
 */
final class LivenessHandler implements HttpHandler {

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"live\":true}");
    }
}
