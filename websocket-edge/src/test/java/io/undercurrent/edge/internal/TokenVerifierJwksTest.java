package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.edge.TokenSettings;
import io.undercurrent.edge.internal.TokenRefusal.Reason;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens from an identity provider: RS256 and ES256 signed by keys it publishes as a JWKS, served by
 * a real HTTP server on a local port; and every token the edge must refuse, each with its reason.
 */
class TokenVerifierJwksTest {

    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ISSUER = "https://id.example.test/";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static RSAKey rsa;
    private static RSAKey rsaRotated;
    private static RSAKey stranger;
    private static ECKey ec;
    private static JwksServer jwks;

    private final List<Reason> refusals = new ArrayList<>();
    private final List<TokenVerifier> verifiers = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        rsaRotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, another key
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        jwks = JwksServer.start(rsa, ec);
    }

    @AfterAll
    static void stopServer() {
        jwks.close();
    }

    @AfterEach
    void closeVerifiers() {
        verifiers.forEach(TokenVerifier::close);
    }

    private TokenVerifier verifier(
            byte[] secret, URI url, List<String> audiences, String claimsPath, Duration refreshLimit) {
        TokenSettings settings = new TokenSettings(
                secret, url, ISSUER, audiences, Set.of(), claimsPath, Duration.ofSeconds(30), true, refreshLimit);
        TokenVerifier v = new TokenVerifier(settings, CLOCK, refusals::add);
        verifiers.add(v);
        v.start();
        return v;
    }

    private TokenVerifier verifier() {
        return verifier(null, jwks.url(), List.of("undercurrent"), null, Duration.ofSeconds(30));
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer(ISSUER)
                .audience("undercurrent")
                .claim("role", "user")
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String rs256(JWTClaimsSet claims) throws Exception {
        return sign(claims, JWSAlgorithm.RS256, rsa.getKeyID(), new RSASSASigner(rsa));
    }

    private TokenRefusal refusal(TokenVerifier verifier, String token) {
        try {
            verifier.verify(token, "a1");
        } catch (TokenRefusal e) {
            assertThat(e.requestId()).isEqualTo("a1");
            return e;
        } catch (ProtocolException e) {
            throw new AssertionError("refused without a reason: " + e.getMessage());
        }
        throw new AssertionError("the token was accepted: " + token);
    }

    @Test
    void rs256AndEs256TokensSignedByThePublishedKeysAreAccepted() throws Exception {
        TokenVerifier v = verifier();
        assertThat(v.keysLoaded()).isTrue();
        assertThat(v.verify(rs256(claims().build()), "a").claims())
                .containsEntry("sub", "alice")
                .containsEntry("role", "user");
        String es = sign(claims().subject("bob").build(), JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec));
        assertThat(v.verify(es, "a").claims()).containsEntry("sub", "bob");
        // A token without kid is checked against every key of its type.
        assertThat(v.verify(sign(claims().build(), JWSAlgorithm.RS256, null, new RSASSASigner(rsa)), "a")
                        .claims())
                .containsEntry("sub", "alice");
        assertThat(refusals).isEmpty();
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItWithoutARestart() throws Exception {
        try (JwksServer rotating = JwksServer.start(rsa)) {
            TokenVerifier v = verifier(null, rotating.url(), List.of(), null, Duration.ofSeconds(30));
            assertThat(rotating.fetches()).isEqualTo(1);
            String next = sign(claims().build(), JWSAlgorithm.RS256, "rsa-2", new RSASSASigner(rsaRotated));
            rotating.serve(rsaRotated);
            assertThat(v.verify(next, "a").claims()).containsEntry("sub", "alice");
            assertThat(rotating.fetches()).isEqualTo(2);
            // The set in use is the new one, cached: no fetch per token.
            v.verify(next, "a");
            assertThat(rotating.fetches()).isEqualTo(2);
        }
    }

    @Test
    void anUnknownKidIsRefusedAndItsFetchesAreRateLimited() throws Exception {
        TokenVerifier v = verifier();
        int before = jwks.fetches();
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("nobody").generate();
        for (int i = 0; i < 5; i++) {
            TokenRefusal e =
                    refusal(v, sign(claims().build(), JWSAlgorithm.RS256, "nobody-" + i, new RSASSASigner(unknown)));
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains("'nobody-" + i + "' is not among the identity provider's keys");
        }
        assertThat(jwks.fetches() - before)
                .as("fetches caused by five forged kids")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aKeyNotInTheSetDoesNotVerifyUnderAKidOfTheSet() throws Exception {
        TokenVerifier v = verifier();
        TokenRefusal named =
                refusal(v, sign(claims().build(), JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger)));
        assertThat(named.reason()).isEqualTo(Reason.SIGNATURE);
        assertThat(named.getMessage()).contains("does not verify with key 'rsa-1'");
        TokenRefusal unnamed = refusal(v, sign(claims().build(), JWSAlgorithm.RS256, null, new RSASSASigner(stranger)));
        assertThat(unnamed.reason()).isEqualTo(Reason.SIGNATURE);
        assertThat(unnamed.getMessage()).contains("verifies with no key");
    }

    @Test
    void issuerAndAudienceMustMatch() throws Exception {
        TokenVerifier v =
                verifier(null, jwks.url(), List.of("undercurrent", "other-api"), null, Duration.ofSeconds(30));
        TokenRefusal iss =
                refusal(v, rs256(claims().issuer("https://evil.example.test/").build()));
        assertThat(iss.reason()).isEqualTo(Reason.ISSUER);
        assertThat(iss.getMessage()).contains("issuer 'https://evil.example.test/' is not '" + ISSUER + "'");
        assertThat(refusal(v, rs256(claims().issuer(null).build())).getMessage())
                .contains("no issuer");

        TokenRefusal aud = refusal(v, rs256(claims().audience("someone-else").build()));
        assertThat(aud.reason()).isEqualTo(Reason.AUDIENCE);
        assertThat(aud.getMessage()).contains("[someone-else]").contains("one of [undercurrent, other-api]");
        assertThat(refusal(v, rs256(claims().audience((String) null).build())).getMessage())
                .contains("no audience");
        // A list audience naming one of ours is fine.
        assertThat(v.verify(rs256(claims().audience(List.of("x", "other-api")).build()), "a"))
                .isNotNull();
    }

    @Test
    void timeClaimsAreCheckedForProviderTokensToo() throws Exception {
        TokenVerifier v = verifier();
        TokenRefusal expired = refusal(
                v, rs256(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build()));
        assertThat(expired.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(expired.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        TokenRefusal early = refusal(
                v, rs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build()));
        assertThat(early.reason()).isEqualTo(Reason.NOT_YET_VALID);
        assertThat(early.getMessage()).contains("not valid before");
        assertThat(v.verify(
                        rs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(30)))
                                .build()),
                        "a"))
                .as("within the skew")
                .isNotNull();
    }

    @Test
    void unsignedTokensAreRefused() throws Exception {
        TokenRefusal none = refusal(verifier(), new PlainJWT(new PlainHeader(), claims().build()).serialize());
        assertThat(none.reason()).isEqualTo(Reason.ALGORITHM);
        assertThat(none.getMessage()).contains("alg none");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        String confused = sign(claims().build(), JWSAlgorithm.HS256, "rsa-1", new MACSigner(publicKey));
        String confusedJwkText = sign(
                claims().build(),
                JWSAlgorithm.HS256,
                "rsa-1",
                new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));

        TokenRefusal jwksOnly = refusal(verifier(), confused);
        assertThat(jwksOnly.reason()).isEqualTo(Reason.ALGORITHM);
        assertThat(jwksOnly.getMessage()).contains("HS256 is not accepted").contains("[ES256, RS256]");

        TokenVerifier both = verifier(SECRET, jwks.url(), List.of(), null, Duration.ofSeconds(30));
        assertThat(refusal(both, confused).reason()).isEqualTo(Reason.SIGNATURE);
        assertThat(refusal(both, confusedJwkText).reason()).isEqualTo(Reason.SIGNATURE);
        assertThat(both.verify(sign(claims().build(), JWSAlgorithm.HS256, null, new MACSigner(SECRET)), "a"))
                .isNotNull();
    }

    @Test
    void anOversizedTokenIsRefusedUnread() throws Exception {
        String huge = rs256(claims().claim("padding", "x".repeat(TokenVerifier.MAX_TOKEN_CHARS))
                .build());
        TokenRefusal e = refusal(verifier(), huge);
        assertThat(e.reason()).isEqualTo(Reason.OVERSIZED);
        assertThat(e.getMessage()).contains("at most " + TokenVerifier.MAX_TOKEN_CHARS);
    }

    @Test
    void nestedClaimsAreLiftedButRegisteredOnesComeFromTheTop() throws Exception {
        TokenVerifier v = verifier(null, jwks.url(), List.of(), "https://hasura.io/jwt/claims", Duration.ofSeconds(30));
        String token = rs256(claims().claim("role", "authenticated")
                .claim("https://hasura.io/jwt/claims", Map.of("role", "admin", "team", 7, "sub", "mallory"))
                .build());
        assertThat(v.verify(token, "a").claims())
                .containsEntry("role", "admin")
                .containsEntry("team", 7L)
                .containsEntry("sub", "alice");

        TokenVerifier dotted = verifier(null, jwks.url(), List.of(), "app_metadata.claims", Duration.ofSeconds(30));
        String nested = rs256(claims().claim("app_metadata", Map.of("claims", Map.of("role", "editor")))
                .build());
        assertThat(dotted.verify(nested, "a").claims()).containsEntry("role", "editor");
        assertThat(dotted.verify(rs256(claims().build()), "a").claims())
                .as("no such claim: top level only")
                .containsEntry("role", "user");
    }

    @Test
    void anUnreachableJwksIsReportedAndFetchedOnceItAnswers() throws Exception {
        int port;
        try (ServerSocket reserve = new ServerSocket(0)) {
            port = reserve.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/.well-known/jwks.json");
        TokenVerifier v = verifier(null, url, List.of(), null, Duration.ofSeconds(1));
        assertThat(v.keysLoaded()).isFalse();
        assertThat(v.keysError()).isNotBlank();
        TokenRefusal e = refusal(v, rs256(claims().build()));
        assertThat(e.reason()).isIn(Reason.KEYS_UNAVAILABLE, Reason.UNKNOWN_KEY);

        try (JwksServer late = JwksServer.startOn(port, rsa)) {
            await().atMost(Duration.ofSeconds(20)).until(v::keysLoaded);
            assertThat(v.keysError()).isNull();
            assertThat(v.verify(rs256(claims().build()), "a").claims()).containsEntry("sub", "alice");
        }
    }

    @Test
    void everyRefusalIsReportedWithItsReason() throws Exception {
        TokenVerifier v = verifier();
        refusal(v, "not-a-token");
        refusal(v, rs256(claims().expirationTime(Date.from(NOW.minusSeconds(5))).build()));
        assertThat(refusals).containsExactly(Reason.MALFORMED, Reason.EXPIRED);
    }
}
