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
 * {@code GET /health}: 200 when every part is healthy and ready to serve live queries (see
 * {@link Service#ready()}), 503 otherwise; the body says {@code healthy} and {@code ready}. It names
 * each part {@code "up"} or {@code "down"}; a caller {@link HealthAccess} lets read the detail gets each
 * part's full status instead (addresses, users, folders, errors), which nobody else may see.
 */
final class HealthHandler implements HttpHandler {

    private final List<Service> services;
    private final HealthAccess access;
    private final ObjectMapper json = new ObjectMapper();

    HealthHandler(List<Service> services, HealthAccess access) {
        this.services = services;
        this.access = access;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // status() and token checks may block briefly; keep them off the IO thread
            return;
        }
        boolean detail = access.mayReadDetail(exchange);
        boolean healthy = true;
        boolean ready = true;
        Map<String, Object> body = new LinkedHashMap<>();
        for (Service s : services) {
            boolean up = s.healthy();
            healthy &= up;
            ready &= s.ready();
            body.put(s.name(), detail ? s.status() : up ? "up" : "down");
        }
        body.put("healthy", healthy);
        body.put("ready", ready);
        exchange.setStatusCode(healthy && ready ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.writeValueAsString(body));
    }
}
