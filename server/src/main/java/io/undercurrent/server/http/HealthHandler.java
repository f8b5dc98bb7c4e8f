package io.undercurrent.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.server.roles.Service;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: each part's status as JSON, with {@code healthy} and {@code ready}; 200 when
 * all parts are healthy and ready to serve live queries, 503 otherwise.
 */
final class HealthHandler implements HttpHandler {

    private final List<Service> services;
    private final ObjectMapper json = new ObjectMapper();

    HealthHandler(List<Service> services) {
        this.services = services;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // status() may block briefly; keep it off the IO thread
            return;
        }
        boolean healthy = true;
        boolean ready = true;
        Map<String, Object> body = new LinkedHashMap<>();
        for (Service s : services) {
            healthy &= s.healthy();
            ready &= s.ready();
            body.put(s.name(), s.status());
        }
        body.put("healthy", healthy);
        body.put("ready", ready);
        exchange.setStatusCode(healthy && ready ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.writeValueAsString(body));
    }
}
