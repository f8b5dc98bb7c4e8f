package io.undercurrent.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.server.roles.Service;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health/ready}: 200 when every part is healthy and ready to serve live queries, the same
 * judgement as {@code /health} (see {@link Service#ready()}: a router owns its partitions and read
 * every subscription, an edge's delivery consumer is positioned, the identity provider's keys were
 * fetched), 503 otherwise, naming the parts that are not. For load balancers and orchestrators:
 * send no client to a node that would leave its subscriptions unanswered.
 */
final class ReadinessHandler implements HttpHandler {

    private final List<Service> services;
    private final ObjectMapper json = new ObjectMapper();

    ReadinessHandler(List<Service> services) {
        this.services = services;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // a part's health may block briefly; keep it off the IO thread
            return;
        }
        List<String> notReady = new ArrayList<>();
        for (Service s : services) {
            if (!s.healthy() || !s.ready()) {
                notReady.add(s.name());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", notReady.isEmpty());
        if (!notReady.isEmpty()) {
            body.put("notReady", notReady);
        }
        exchange.setStatusCode(notReady.isEmpty() ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(json.writeValueAsString(body));
    }
}
