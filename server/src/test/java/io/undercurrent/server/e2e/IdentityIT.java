package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.server.http.DevTokenHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, against a real server: the embedded default with a real {@code jwt.secret},
 * told to listen on every interface, and clients on loopback and on this machine's network address.
 */
class IdentityIT {

    private static final String SECRET = "identity-it-secret-of-at-least-32-bytes";

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;
    static DevTokenHandler tokens;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(
                dataDir, Map.of("UNDERCURRENT_JWT_SECRET", SECRET, "UNDERCURRENT_HTTP_HOST", "0.0.0.0"));
        tokens = new DevTokenHandler(SECRET, Clock.systemUTC());
        port = URI.create(server.node.http().address()).getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(String host, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static LiveClient signedIn(String token) {
        LiveClient client = LiveClient.connect(server.liveUrl());
        client.sendAuth(token, "a1");
        return client;
    }

    @Test
    void aConfiguredSecretIsNeverUsedToMintDevelopmentTokens() throws Exception {
        assertThat(get("127.0.0.1", "/dev/token?sub=root&role=admin").statusCode())
                .isEqualTo(404);
        assertThat(get("127.0.0.1", "/").statusCode())
                .as("the example app needs /dev/token")
                .isEqualTo(404);
    }

    @Test
    void healthShowsTheDetailOnlyToLocalCallersAndAdmins() throws Exception {
        String local = get("127.0.0.1", "/health").body();
        assertThat(local).contains("postgresql://", server.node.config().get(RulesSettingDeclarations.DIR));

        String network = ThisMachine.networkAddress();
        assumeTrue(network != null, "this machine has no network address besides loopback");
        HttpResponse<String> remote = get(network, "/health");
        assertThat(remote.statusCode()).isIn(200, 503);
        assertThat(remote.body())
                .doesNotContain("postgresql", "localhost:", "rules\":{", "127.0.0.1")
                .containsPattern("\"embedded\":\"(up|down)\"")
                .containsPattern("\"edge\":\"(up|down)\"");

        assertThat(get(network, "/health", "Authorization", "Bearer " + tokens.sign("alice", "user", 60))
                        .body())
                .doesNotContain("postgresql");
        assertThat(get(network, "/health", "Authorization", "Bearer " + tokens.sign("ops", "admin", 60))
                        .body())
                .contains("postgresql://");
    }

    @Test
    void aTokenWithoutExpIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject("alice").build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        try (LiveClient client = signedIn(jwt.serialize())) {
            JsonNode error = client.await("error", "a1");
            assertThat(error.path("code").asText()).isEqualTo("unauthenticated");
            assertThat(error.path("message").asText()).contains("no exp");
        }
    }

    @Test
    void nothingIsSentAfterTheTokenExpiresAndTheConnectionClosesThen() throws Exception {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger inserted = new AtomicInteger();
        try (LiveClient client = signedIn(tokens.sign("eve", "user", 5));
                Connection db = server.database();
                Statement st = db.createStatement()) {
            long exp = client.await("ready", "a1").path("expiresAt").asLong();
            client.subscribeToTodosOf("eve", "q");
            // Rows keep coming before, across and after exp.
            writer.scheduleAtFixedRate(
                    () -> {
                        try {
                            st.executeUpdate("insert into todos(owner_id, title) values ('eve', 'expiry-"
                                    + inserted.incrementAndGet() + "')");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            int code = client.awaitClose(Duration.ofSeconds(15));
            long closedAt = System.currentTimeMillis();
            writer.shutdownNow();
            List<JsonNode> frames = new ArrayList<>(client.seen());
            for (JsonNode f = client.poll(); f != null; f = client.poll()) {
                frames.add(f);
            }
            List<JsonNode> changes = frames.stream()
                    .filter(f -> "changes".equals(f.path("type").asText()))
                    .toList();

            assertThat(code).isEqualTo(4401);
            assertThat(frames.get(frames.size() - 1).path("code").asText()).isEqualTo("token_expired");
            assertThat(changes).as("changes flowed before exp").isNotEmpty();
            assertThat(changes)
                    .as("changes committed at or after exp %d", exp)
                    .allSatisfy(f -> assertThat(f.path("committedAt").asLong()).isLessThan(exp));
            assertThat(closedAt - exp)
                    .as("closed at exp, not at the next sweep")
                    .isLessThan(500);
        } finally {
            writer.shutdownNow();
            writer.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(inserted.get()).isPositive();
    }

    @Test
    void aRefreshBeforeExpKeepsTheConnectionAndItsLiveQueries() throws Exception {
        try (LiveClient client = signedIn(tokens.sign("fay", "user", 3));
                Connection db = server.database();
                Statement st = db.createStatement()) {
            long exp = client.await("ready", "a1").path("expiresAt").asLong();
            client.subscribeToTodosOf("fay", "q");
            assertThat(client.authenticate(tokens.sign("fay", "user", 3600), "a2")
                            .path("expiresAt")
                            .asLong())
                    .isGreaterThan(exp);

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> System.currentTimeMillis() > exp + 500);
            st.executeUpdate("insert into todos(owner_id, title) values ('fay', 'after-refresh')");
            client.await(f -> f.toString().contains("after-refresh"), Duration.ofSeconds(30));
            client.sendJson(Map.of("type", "ping", "id", "p"));
            client.await("pong", "p");
            assertThat(client.seen())
                    .noneMatch(f -> "error".equals(f.path("type").asText())
                            || "reset".equals(f.path("type").asText()));
        }
    }
}
