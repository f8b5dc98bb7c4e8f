package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after a router dies: deliveries on its partitions resume within seconds (the group
 * session timeout, router.session-timeout, plus a rebalance), subscriptions made meanwhile are served
 * once the partitions are taken over, and a subscribe that no router acknowledges is answered with an
 * error within edge.registration-timeout, never with silence.
 */
class RouterFailoverIT {

    /** Deliveries on a dead router's partitions resume within this long of its death. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(5);

    private static final Pattern HEALTH_URL = Pattern.compile("health:\\s+(http://\\S+/health)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    @BeforeEach
    void rules() throws Exception {
        for (String file : List.of("todos.yaml", "projects.yaml")) {
            Files.copy(Path.of("..", "rules", file), rulesDir.resolve(file));
        }
    }

    @Test
    void deliveriesResumeWithinSecondsOfARouterKilledWithSigkill() throws Exception {
        try (ServerNode infra = SplitRoles.start(
                        SplitRoles.infrastructure(
                                dataDir, rulesDir, Map.of("UNDERCURRENT_KAFKA_CHANGE_PARTITIONS", "2")),
                        Role.INGEST);
                ServerNode router1 = SplitRoles.start(
                        SplitRoles.joining(infra, rulesDir, Map.of("UNDERCURRENT_ROUTER_ID", "r1")), Role.ROUTER);
                ChildJvm router2 = SplitRoles.child(
                        "router-2",
                        Role.ROUTER,
                        SplitRoles.joining(infra, rulesDir, Map.of("UNDERCURRENT_ROUTER_ID", "r2")));
                ServerNode edge = SplitRoles.start(
                        SplitRoles.joining(infra, rulesDir, Map.of("UNDERCURRENT_EDGE_ID", "e1")), Role.EDGE);
                LiveClient frank = LiveClient.connect(SplitRoles.liveUrl(edge));
                LiveClient grace = LiveClient.connect(SplitRoles.liveUrl(edge));
                Connection db = SplitRoles.database(infra);
                Statement st = db.createStatement()) {
            String router2Health = healthUrl(router2);
            // each router routes one of the two partitions
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(SplitRoles.health(router1)
                                .path("router")
                                .path("partitions")
                                .asInt())
                        .isEqualTo(1);
                assertThat(get(router2Health).path("router").path("partitions").asInt())
                        .isEqualTo(1);
            });
            DevTokenHandler tokens = new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC());
            frank.authenticate(tokens.sign("frank", "user", 600), "a");
            frank.subscribeToTodosOf("frank", "q");
            insert(st, "frank", "before", 10);
            awaitTitles(frank, "before", 10, Duration.ofSeconds(60));

            long killedAt = System.nanoTime();
            router2.killHard();
            // rows written right after the death, spread over both partitions by their keys
            insert(st, "frank", "after", 10);
            grace.authenticate(tokens.sign("grace", "user", 600), "a");
            grace.sendSubscribeToTodosOf("grace", "q");

            Duration left = RESUME_BOUND.minusNanos(System.nanoTime() - killedAt);
            awaitTitles(frank, "after", 10, left.isNegative() ? Duration.ZERO : left);
            long resumedMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("RouterFailoverIT: deliveries resumed " + resumedMs + " ms after the router was killed");

            JsonNode snapshot = grace.await(f -> "q".equals(f.path("id").asText()), Duration.ofSeconds(30));
            assertThat(snapshot.path("type").asText())
                    .as("a subscribe made while the router died: %s", snapshot)
                    .isEqualTo("snapshot");
            System.out.println("RouterFailoverIT: a subscribe sent as the router died got its snapshot "
                    + (System.nanoTime() - killedAt) / 1_000_000 + " ms after the death");
            JsonNode health = SplitRoles.health(router1);
            assertThat(health.path("router").path("partitions").asInt()).isEqualTo(2);
            assertThat(health.path("ready").asBoolean()).as("%s", health).isTrue();
        }
    }

    @Test
    void aSubscribeNoRouterAcknowledgesGetsAnErrorWithinTheRegistrationTimeout() throws Exception {
        try (ServerNode infra = SplitRoles.start(SplitRoles.infrastructure(dataDir, rulesDir, Map.of()), Role.INGEST);
                ServerNode edge = SplitRoles.start(
                        SplitRoles.joining(
                                infra,
                                rulesDir,
                                Map.of("UNDERCURRENT_EDGE_ID", "e1", "UNDERCURRENT_EDGE_REGISTRATION_TIMEOUT", "3s")),
                        Role.EDGE);
                LiveClient client = LiveClient.connect(SplitRoles.liveUrl(edge))) {
            assertThat(SplitRoles.health(edge).path("edge").path("ready").asBoolean())
                    .isTrue();
            String token =
                    new DevTokenHandler(infra.embedded().devSecret(), Clock.systemUTC()).sign("frank", "user", 600);
            client.authenticate(token, "a");
            client.sendJson(Map.of("type", "subscribe", "id", "q", "table", "public.todos"));
            long sentAt = System.nanoTime();

            JsonNode answer = client.await(f -> "q".equals(f.path("id").asText()), Duration.ofSeconds(5));
            long answeredMs = (System.nanoTime() - sentAt) / 1_000_000;
            System.out.println(
                    "RouterFailoverIT: with no router, a subscribe was answered after " + answeredMs + " ms");

            assertThat(answer.path("type").asText()).isEqualTo("error");
            assertThat(answer.path("code").asText()).isEqualTo("internal");
            assertThat(answer.path("message").asText())
                    .contains("no router acknowledged")
                    .contains("retry");
            assertThat(answeredMs)
                    .as("answered within the registration timeout and one sweep")
                    .isBetween(2_000L, 4_500L);
        }
    }

    private static void insert(Statement st, String owner, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            st.executeUpdate("insert into todos(owner_id, title) values ('" + owner + "', '" + prefix + "-" + i + "')");
        }
    }

    private static void awaitTitles(LiveClient client, String prefix, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> titles = new HashSet<>();
        while (titles.size() < count) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            JsonNode frame = client.await(f -> f.toString().contains(prefix + "-"), left);
            frame.path("changes").forEach(c -> {
                String title = c.path("row").path("title").asText();
                if (title.startsWith(prefix + "-")) {
                    titles.add(title);
                }
            });
        }
    }

    private static String healthUrl(ChildJvm child) {
        Matcher m = HEALTH_URL.matcher(child.awaitOutputLine(HEALTH_URL, Duration.ofSeconds(10)));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
