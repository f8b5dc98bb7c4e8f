package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.edge.internal.JwksServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outside identity provider: the embedded default told to trust the keys a real local HTTP server
 * publishes as a JWKS, with an issuer, an audience and nested claims. Clients holding RS256 and ES256
 * tokens from that provider subscribe and receive changes; forged ones get error frames.
 */
class JwksIdentityIT {

    private static final String ISSUER = "https://id.example.test/";
    private static final String AUDIENCE = "undercurrent-api";

    @TempDir
    static Path dataDir;

    static JwksServer provider;
    static EmbeddedServer server;
    static RSAKey rsa;
    static ECKey ec;

    @BeforeAll
    static void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        provider = JwksServer.start(rsa, ec);
        server = EmbeddedServer.start(
                dataDir,
                Map.of(
                        "UNDERCURRENT_JWT_JWKS_URL",
                        provider.url().toString(),
                        "UNDERCURRENT_JWT_ISSUER",
                        ISSUER,
                        "UNDERCURRENT_JWT_AUDIENCE",
                        "other-api," + AUDIENCE,
                        "UNDERCURRENT_JWT_CLAIMS_PATH",
                        "app_metadata"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private static String token(
            String sub, Map<String, Object> appMetadata, JWSAlgorithm alg, String kid, JWSSigner signer)
            throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("role", "authenticated")
                .claim("app_metadata", appMetadata)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.node.http().address() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static LiveClient subscribedAs(String token, String owner) {
        LiveClient client = LiveClient.connect(server.liveUrl());
        client.authenticate(token, "a1");
        client.subscribeToTodosOf(owner, "q");
        return client;
    }

    @Test
    void rs256AndEs256ClientsOfTheProviderSubscribeAndReceiveChanges() throws Exception {
        String rsToken = token("jwks-rs", Map.of(), JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa));
        String esToken = token("jwks-es", Map.of(), JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec));
        String adminToken =
                token("jwks-ops", Map.of("role", "admin"), JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa));
        try (LiveClient rs = subscribedAs(rsToken, "jwks-rs");
                LiveClient es = subscribedAs(esToken, "jwks-es");
                LiveClient admin = subscribedAs(adminToken, "jwks-rs");
                Connection db = server.database();
                Statement st = db.createStatement()) {
            st.executeUpdate(
                    "insert into todos(owner_id, title) values ('jwks-rs', 'from-rs'), ('jwks-es', 'from-es')");
            rs.await(f -> f.toString().contains("from-rs"), Duration.ofSeconds(30));
            es.await(f -> f.toString().contains("from-es"), Duration.ofSeconds(30));
            // app_metadata.role = admin is auth.role for the rules: the admin reads another user's todo.
            admin.await(f -> f.toString().contains("from-rs"), Duration.ofSeconds(30));
        }
    }

    @Test
    void forgedTokensGetAnErrorFrameSayingWhy() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        Map<String, String> cases = Map.of(
                token("x", Map.of(), JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(stranger)),
                "'rsa-9' is not among",
                token("x", Map.of(), JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger)),
                "does not verify with key 'rsa-1'",
                token(
                        "x",
                        Map.of(),
                        JWSAlgorithm.HS256,
                        "rsa-1",
                        new MACSigner(rsa.toRSAPublicKey().getEncoded())),
                "HS256 is not accepted");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (LiveClient client = LiveClient.connect(server.liveUrl())) {
                client.sendAuth(c.getKey(), "a1");
                JsonNode error = client.await("error", "a1");
                assertThat(error.path("code").asText()).isEqualTo("unauthenticated");
                assertThat(error.path("message").asText()).contains(c.getValue());
            }
        }
    }

    @Test
    void noDevelopmentTokensWhenTokensComeFromAnIdentityProvider() throws Exception {
        assertThat(server.node.mintsDevTokens()).isFalse();
        assertThat(get("/dev/token?sub=root&role=admin").statusCode()).isEqualTo(404);
    }
}
