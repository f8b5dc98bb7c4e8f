package io.undercurrent.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.edge.ClientTokens;
import io.undercurrent.server.roles.Service;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} over a real listener on every interface, called from this machine's loopback and
 * from its network address, so the handler sees both kinds of caller.
 */
class HealthHandlerTest {

    private static final String SECRET = "health-test-secret-of-at-least-32-bytes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeService database =
            new FakeService("embedded", Map.of("postgres", "postgresql://uc_user:****@db.internal:5432/app"));
    private final FakeService rules = new FakeService("rules", Map.of("directory", "/srv/undercurrent/rules"));
    private final DevTokenHandler tokens = new DevTokenHandler(SECRET, Clock.systemUTC());
    private final HttpClient http = HttpClient.newHttpClient();
    private Undertow server;
    private int port;

    @BeforeEach
    void start() {
        HealthHandler handler = new HealthHandler(
                List.of(database, rules),
                new HealthAccess(new ClientTokens(SECRET.getBytes(StandardCharsets.UTF_8), true, Clock.systemUTC())));
        server = Undertow.builder()
                .addHttpListener(0, "0.0.0.0")
                .setHandler(Handlers.path().addExactPath("/health", handler))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String host, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** An address of this machine that is not loopback: a request to it comes from it too. */
    private static String networkAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        return null;
    }

    private static void assertStatusOnly(HttpResponse<String> response) throws Exception {
        assertThat(response.body()).doesNotContain("postgresql", "uc_user", "db.internal", "/srv/undercurrent");
        assertThat(body(response).path("embedded").asText()).isEqualTo("up");
        assertThat(body(response).path("rules").asText()).isEqualTo("up");
        assertThat(body(response).path("healthy").asBoolean()).isTrue();
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static void assertDetail(HttpResponse<String> response) throws Exception {
        assertThat(body(response).path("embedded").path("postgres").asText()).contains("db.internal");
        assertThat(body(response).path("rules").path("directory").asText()).isEqualTo("/srv/undercurrent/rules");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aCallerOnThisMachineSeesTheDetail() throws Exception {
        assertDetail(get("127.0.0.1"));
    }

    @Test
    void aCallerFromTheNetworkSeesOnlyUpOrDown() throws Exception {
        String address = networkAddress();
        assumeTrue(address != null, "this machine has no network address besides loopback");
        assertStatusOnly(get(address));
    }

    @Test
    void aLoopbackCallerThatCameThroughAProxyIsNotLocal() throws Exception {
        assertStatusOnly(get("127.0.0.1", "X-Forwarded-For", "203.0.113.9"));
        assertStatusOnly(get("127.0.0.1", "Forwarded", "for=203.0.113.9"));
    }

    @Test
    void anAdminTokenShowsTheDetailToAnyCallerAndNoOtherTokenDoes() throws Exception {
        String address = networkAddress();
        assumeTrue(address != null, "this machine has no network address besides loopback");
        assertDetail(get(address, "Authorization", "Bearer " + tokens.sign("ops", "admin", 60)));
        assertStatusOnly(get(address, "Authorization", "Bearer " + tokens.sign("alice", "user", 60)));
        assertStatusOnly(get(address, "Authorization", "Bearer " + tokens.sign("ops", "admin", -60)));
        assertStatusOnly(get(
                address,
                "Authorization",
                "Bearer "
                        + new DevTokenHandler("another-secret-of-at-least-32-bytes-long", Clock.systemUTC())
                                .sign("ops", "admin", 60)));
        assertStatusOnly(get(address, "Authorization", "Bearer not-a-token"));
        assertStatusOnly(get(
                "127.0.0.1",
                "X-Forwarded-For",
                "203.0.113.9",
                "Authorization",
                "Bearer " + tokens.sign("alice", "user", 60)));
        assertDetail(get(
                "127.0.0.1",
                "X-Forwarded-For",
                "203.0.113.9",
                "Authorization",
                "Bearer " + tokens.sign("ops", "admin", 60)));
    }

    @Test
    void anUnhealthyPartIsDownWith503ForEveryone() throws Exception {
        rules.healthy = false;
        HttpResponse<String> response = get("127.0.0.1", "X-Forwarded-For", "203.0.113.9");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(body(response).path("rules").asText()).isEqualTo("down");
        assertThat(body(response).path("embedded").asText()).isEqualTo("up");
        assertThat(body(response).path("healthy").asBoolean()).isFalse();
        assertThat(get("127.0.0.1").statusCode()).isEqualTo(503);
    }

    private static final class FakeService implements Service {
        private final String name;
        private final Object status;
        volatile boolean healthy = true;

        FakeService(String name, Object status) {
            this.name = name;
            this.status = status;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean healthy() {
            return healthy;
        }

        @Override
        public Object status() {
            return status;
        }

        @Override
        public void close() {}
    }
}
