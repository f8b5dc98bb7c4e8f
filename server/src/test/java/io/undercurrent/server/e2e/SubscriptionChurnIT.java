package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that subscribe and unsubscribe at once, many times over on many connections: every
 * unsubscribe is answered {@code unsubscribed}, nothing for a query id follows that answer, and no
 * subscription is left behind on the edge or in the routers.
 */
class SubscriptionChurnIT {

    private static final int CONNECTIONS = 40;
    private static final int QUERIES_PER_CONNECTION = 50;

    @TempDir
    Path dataDir;

    @Test
    void subscribeThenUnsubscribeAtOnceLeavesNoSubscriptionAnywhere() throws Exception {
        // the churn sends 101 frames per connection in a burst; the rate limit is not what is tested
        try (EmbeddedServer server =
                EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_EDGE_FRAMES_PER_SECOND", "1000"))) {
            List<LiveClient> clients = new ArrayList<>();
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    LiveClient client = LiveClient.connect(server.liveUrl());
                    client.sendJson(Map.of("type", "auth", "token", server.token("churner" + c, "user"), "id", "a"));
                    client.await("ready", "a");
                    clients.add(client);
                }
                for (int q = 0; q < QUERIES_PER_CONNECTION; q++) {
                    for (LiveClient client : clients) {
                        client.sendJson(Map.of("type", "subscribe", "id", "q" + q, "table", "public.todos"));
                        client.sendJson(Map.of("type", "unsubscribe", "id", "q" + q));
                    }
                }
                for (LiveClient client : clients) {
                    for (int q = 0; q < QUERIES_PER_CONNECTION; q++) {
                        String id = "q" + q;
                        JsonNode answer = client.await(
                                f -> id.equals(f.path("id").asText())
                                        && !"snapshot".equals(f.path("type").asText()),
                                Duration.ofSeconds(60));
                        assertThat(answer.path("type").asText())
                                .as("the answer to unsubscribe %s: %s", id, answer)
                                .isEqualTo("unsubscribed");
                    }
                }

                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            JsonNode health = server.health();
                            assertThat(health.path("edge").path("subscriptions").asInt())
                                    .as("edge subscriptions in %s", health)
                                    .isZero();
                            assertThat(health.path("router")
                                            .path("subscriptions")
                                            .asInt())
                                    .as("router subscriptions in %s", health)
                                    .isZero();
                        });

                for (LiveClient client : clients) {
                    client.sendJson(Map.of("type", "ping", "id", "last"));
                    client.await("pong", "last");
                    assertThat(framesAfterUnsubscribed(client.seen())).isEmpty();
                }
            } finally {
                clients.forEach(LiveClient::close);
            }
        }
    }

    /** Frames for a query id that arrived after that query id was answered {@code unsubscribed}. */
    private static List<JsonNode> framesAfterUnsubscribed(List<JsonNode> frames) {
        Map<String, Boolean> ended = new HashMap<>();
        List<JsonNode> late = new ArrayList<>();
        for (JsonNode frame : frames) {
            String id = frame.path("id").asText();
            if (ended.getOrDefault(id, false)) {
                late.add(frame);
            }
            if ("unsubscribed".equals(frame.path("type").asText())) {
                ended.put(id, true);
            }
        }
        return late;
    }
}
