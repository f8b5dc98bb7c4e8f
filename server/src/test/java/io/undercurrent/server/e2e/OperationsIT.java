package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.server.metrics.DashboardQueries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees of a running server: /metrics in the Prometheus text format, moving as changes flow; liveness and readiness. */
class OperationsIT {

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;

    /**
     * The project's rules plus one for a table whose rule fails at run time for some rows (a division
     * by zero), so {@code undercurrent_rule_errors_total} has something to count.
     */
    @BeforeAll
    static void start() throws Exception {
        Path rules = Files.createDirectories(dataDir.resolve("test-rules"));
        try (var files = Files.list(Path.of("..", "rules"))) {
            for (Path f : files.toList()) {
                Files.copy(f, rules.resolve(f.getFileName()));
            }
        }
        Files.writeString(rules.resolve("metrics_probe.yaml"), """
                source: app
                table: public.metrics_probe
                read: "row.total / row.n > 1 || auth.role == 'admin'"
                """);
        server = EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_RULES_DIR", rules.toString()));
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.execute("create table metrics_probe (id bigint primary key, total bigint not null, n bigint not null)");
            st.execute("insert into metrics_probe values (1, 10, 0), (2, 10, 2)");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.node.http().address() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every sample of a metric whose labels contain {@code labels} (e.g. {@code source="app"}); 0 when absent. */
    private static double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
                .matcher(text);
        double sum = 0;
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return response.body();
    }

    @Test
    void metricsMoveAsChangesFlowAndEveryNameIsOurs() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 200);
        String before = scrape();
        try (LiveClient alice = LiveClient.connect(server.liveUrl());
                LiveClient bob = LiveClient.connect(server.liveUrl());
                LiveClient forger = LiveClient.connect(server.liveUrl());
                Connection db = server.database();
                Statement st = db.createStatement()) {
            alice.sendJson(Map.of("type", "auth", "token", server.token("metrics-alice", "user"), "id", "a"));
            alice.await("ready", "a");
            alice.sendJson(Map.of("type", "subscribe", "id", "q", "table", "public.todos"));
            alice.await("snapshot", "q");
            bob.sendJson(Map.of("type", "auth", "token", server.token("metrics-bob", "user"), "id", "a"));
            bob.await("ready", "a");
            bob.sendJson(Map.of("type", "subscribe", "id", "q", "table", "public.todos"));
            bob.await("snapshot", "q");
            forger.sendJson(Map.of("type", "auth", "token", "not.a.token", "id", "a"));
            forger.await("error", "a");
            // Anonymous readers may not read projects: the subscription is refused by the rules.
            forger.sendJson(Map.of("type", "subscribe", "id", "p", "table", "public.projects"));
            assertThat(forger.await("error", "p").path("code").asText()).isEqualTo("forbidden");
            // Row 1 divides by zero: the rule fails at run time for it (denied, counted).
            bob.sendJson(Map.of("type", "subscribe", "id", "probe", "table", "public.metrics_probe"));
            bob.await("snapshot", "probe");

            String during = scrape();
            assertThat(sample(during, "undercurrent_connections", "")).isGreaterThanOrEqualTo(3);
            assertThat(sample(during, "undercurrent_subscriptions", "")).isGreaterThanOrEqualTo(2);
            assertThat(sample(during, "undercurrent_auth_failures_total", "reason=\"malformed\""))
                    .isGreaterThanOrEqualTo(1);

            st.executeUpdate("insert into todos(owner_id, title) values ('metrics-alice', 'counted')");
            alice.await(f -> f.toString().contains("counted"), Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String after = scrape();
                assertThat(sample(after, "undercurrent_ingest_changes_total", "source=\"app\""))
                        .as("ingest changes in %s", after)
                        .isGreaterThan(sample(before, "undercurrent_ingest_changes_total", "source=\"app\""));
                assertThat(sample(after, "undercurrent_deliveries_total", ""))
                        .as("deliveries")
                        .isGreaterThan(sample(before, "undercurrent_deliveries_total", ""));
                assertThat(sample(after, "undercurrent_router_changes_total", ""))
                        .as("routed changes")
                        .isGreaterThan(sample(before, "undercurrent_router_changes_total", ""));
                assertThat(sample(after, "undercurrent_rule_denials_total", "table=\"public.projects\""))
                        .as("denials in %s", after)
                        .isGreaterThan(sample(before, "undercurrent_rule_denials_total", "table=\"public.projects\""));
                assertThat(sample(after, "undercurrent_rule_errors_total", "table=\"public.metrics_probe\""))
                        .as("rule errors")
                        .isGreaterThanOrEqualTo(1);
                // Alice's change reached her socket (and maybe others'): one observation per frame and client.
                assertThat(sample(after, "undercurrent_commit_to_client_seconds_count", ""))
                        .as("commit-to-client observations in %s", after)
                        .isGreaterThan(sample(before, "undercurrent_commit_to_client_seconds_count", ""));
                assertThat(sample(after, "undercurrent_commit_to_client_seconds_bucket", "le=\"+Inf\""))
                        .isEqualTo(sample(after, "undercurrent_commit_to_client_seconds_count", ""));
                // Three initial results at least: alice's and bob's todos, bob's probe.
                assertThat(sample(after, "undercurrent_snapshot_duration_seconds_count", "outcome=\"ok\""))
                        .as("snapshot reads")
                        .isGreaterThanOrEqualTo(3);
                assertThat(sample(after, "undercurrent_consumer_lag", "role=\"router\""))
                        .as("router lag in %s", after)
                        .isGreaterThanOrEqualTo(0);
                assertThat(sample(after, "undercurrent_consumer_lag", "role=\"edge\""))
                        .as("edge lag")
                        .isGreaterThanOrEqualTo(0);
            });
        }
        String text = scrape();
        assertThat(text).contains("undercurrent_rule_denials_total{source=\"app\",table=\"public.projects\"}");
        assertThat(text)
                .contains("undercurrent_snapshot_duration_seconds_bucket{outcome=\"ok\",source=\"app\",le=\"0.005\"}");
        // Fixed buckets keep a scrape small: a dozen per series, not Micrometer's ~70.
        assertThat(text.lines().filter(l -> l.startsWith("undercurrent_commit_to_client_seconds_bucket")))
                .hasSizeBetween(10, 20);
        // The Grafana dashboard's queries name only metrics and labels this server exposes: it cannot drift.
        assertThat(DashboardQueries.read(DashboardQueries.DASHBOARD).problems(text))
                .as("dashboard %s against %s", DashboardQueries.DASHBOARD, text)
                .isEmpty();
        assertThat(text).doesNotContain("metrics-alice", "metrics-bob");
        assertThat(text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                .allSatisfy(l -> assertThat(l).startsWith("undercurrent_"));
    }

    @Test
    void livenessAndReadiness() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"live\":true}");
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 200);
        assertThat(get("/health/ready").body()).isEqualTo("{\"ready\":true}");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }
}
