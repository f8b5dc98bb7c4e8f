package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final TokenVerifier verifier = new TokenVerifier(SECRET, CLOCK, Duration.ofSeconds(30), true);

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .claim("role", "admin")
                .claim("level", 3)
                .claim("groups", List.of("a", "b"))
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private static ErrorCode codeOf(ThrowingCall call) {
        try {
            call.run();
            return null;
        } catch (ProtocolException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aValidTokenGivesCanonicalClaimsAndItsExpiry() throws Exception {
        TokenVerifier.Verified v = verifier.verify(sign(claims().build(), JWSAlgorithm.HS256, SECRET), "a");
        assertThat(v.claims())
                .containsEntry("sub", "alice")
                .containsEntry("role", "admin")
                .containsEntry("level", 3L)
                .containsEntry("groups", List.of("a", "b"))
                .containsEntry("exp", NOW.plusSeconds(600).getEpochSecond());
        assertThat(v.expiresAt()).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
    }

    @Test
    void equalClaimsAreKeptOnceAndCannotBeChanged() throws Exception {
        String token = sign(claims().build(), JWSAlgorithm.HS256, SECRET);
        Map<String, Object> first = verifier.verify(token, "a").claims();
        Map<String, Object> again = verifier.verify(token, "b").claims();
        Map<String, Object> other = verifier.verify(
                        sign(claims().subject("bob").build(), JWSAlgorithm.HS256, SECRET), "c")
                .claims();

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first).containsEntry("sub", "bob");
        assertThatThrownBy(() -> first.put("role", "member")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expiredWrongSignatureOtherAlgorithmsAndUnsignedTokensAreRefused() throws Exception {
        String expired =
                sign(claims().expirationTime(Date.from(NOW.minusSeconds(60))).build(), JWSAlgorithm.HS256, SECRET);
        assertThat(codeOf(() -> verifier.verify(expired, "a"))).isEqualTo(ErrorCode.TOKEN_EXPIRED);

        String otherSecret = sign(
                claims().build(),
                JWSAlgorithm.HS256,
                "another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8));
        assertThat(codeOf(() -> verifier.verify(otherSecret, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        byte[] longSecret = new byte[64];
        System.arraycopy(SECRET, 0, longSecret, 0, SECRET.length);
        String hs512 = sign(claims().build(), JWSAlgorithm.HS512, longSecret);
        assertThat(codeOf(() -> verifier.verify(hs512, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        String unsigned = new PlainJWT(new PlainHeader(), claims().build()).serialize();
        assertThat(codeOf(() -> verifier.verify(unsigned, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        assertThat(codeOf(() -> verifier.verify("garbage", "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        String notYet =
                sign(claims().notBeforeTime(Date.from(NOW.plusSeconds(600))).build(), JWSAlgorithm.HS256, SECRET);
        assertThat(codeOf(() -> verifier.verify(notYet, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThatThrownBy(() -> new TokenVerifier(new byte[16], Clock.systemUTC(), Duration.ZERO, true))
                .hasMessageContaining("at least 32");
    }

    /** Signs any payload text, so a test can send claims no JWT library would build. */
    private static String signRaw(String payloadJson) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payloadJson));
        jws.sign(new MACSigner(SECRET));
        return jws.serialize();
    }

    private static ProtocolException refusal(TokenVerifier verifier, String token) {
        try {
            verifier.verify(token, "a");
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("the token was accepted: " + token);
    }

    private static long seconds(Instant instant) {
        return instant.getEpochSecond();
    }

    @Test
    void aTokenWithoutExpIsRefusedUnlessTheServerAllowsIt() throws Exception {
        String noExp = sign(new JWTClaimsSet.Builder().subject("alice").build(), JWSAlgorithm.HS256, SECRET);
        ProtocolException e = refusal(verifier, noExp);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(e.getMessage()).contains("no exp").contains("only tokens that expire");

        TokenVerifier lenient = new TokenVerifier(SECRET, CLOCK, Duration.ofSeconds(30), false);
        TokenVerifier.Verified v = lenient.verify(noExp, "a");
        assertThat(v.expiresAt()).isNull();
        assertThat(v.claims()).containsEntry("sub", "alice");
    }

    @Test
    void expIsExactWithNoLeeway() throws Exception {
        long now = seconds(NOW);
        assertThat(refusal(verifier, signRaw("{\"sub\":\"a\",\"exp\":" + now + "}"))
                        .code())
                .isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(refusal(verifier, signRaw("{\"sub\":\"a\",\"exp\":" + (now - 10) + "}"))
                        .code())
                .isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(verifier.verify(signRaw("{\"sub\":\"a\",\"exp\":" + (now + 1) + "}"), "a")
                        .expiresAt())
                .isEqualTo(NOW.plusSeconds(1).toEpochMilli());
        // NumericDate may be fractional; the deadline keeps the milliseconds.
        assertThat(verifier.verify(signRaw("{\"sub\":\"a\",\"exp\":" + now + ".25}"), "a")
                        .expiresAt())
                .isEqualTo(NOW.toEpochMilli() + 250);
    }

    @Test
    void nbfAllowsTheClockSkewOnly() throws Exception {
        long now = seconds(NOW);
        String exp = ",\"exp\":" + (now + 600);
        assertThat(verifier.verify(signRaw("{\"nbf\":" + (now + 30) + exp + "}"), "a"))
                .isNotNull();
        assertThat(refusal(verifier, signRaw("{\"nbf\":" + (now + 31) + exp + "}"))
                        .code())
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void anNbfSoLargeItsMillisecondsOverflowIsRefusedNotTakenForThePast() throws Exception {
        String token = signRaw("{\"sub\":\"a\",\"nbf\":9300000000000000,\"exp\":" + (seconds(NOW) + 600) + "}");
        ProtocolException e = refusal(verifier, token);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(e.getMessage()).contains("nbf").contains("out of range");
    }

    @Test
    void anExpWhoseMillisecondsWrapIntoTheNearFutureIsRefused() throws Exception {
        // 18446745873709552 s * 1000 wraps (mod 2^64) to 1800000000384 ms, which is January 2027.
        ProtocolException e = refusal(verifier, signRaw("{\"sub\":\"a\",\"exp\":18446745873709552}"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(e.getMessage()).contains("exp").contains("out of range");
    }

    @Test
    void timeClaimsOutOfRangeOrNotNumbersAreRefusedNamingTheClaim() throws Exception {
        String exp = "\"exp\":" + (seconds(NOW) + 600);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"exp\":-1}", "exp");
        cases.put("{\"exp\":1e300}", "exp");
        cases.put("{\"exp\":9223372036854775807}", "exp");
        cases.put("{\"exp\":253402300800}", "exp");
        cases.put("{\"exp\":\"tomorrow\"}", "exp");
        cases.put("{\"exp\":true}", "exp");
        cases.put("{\"exp\":[1]}", "exp");
        cases.put("{\"nbf\":-5," + exp + "}", "nbf");
        cases.put("{\"nbf\":\"now\"," + exp + "}", "nbf");
        cases.put("{\"iat\":9300000000000000," + exp + "}", "iat");
        cases.put("{\"iat\":-1," + exp + "}", "iat");
        cases.put("{\"iat\":{\"s\":1}," + exp + "}", "iat");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ProtocolException e = refusal(verifier, signRaw(c.getKey()));
            assertThat(e.code()).as(c.getKey()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage())
                    .as(c.getKey())
                    .contains("claim " + c.getValue())
                    .contains("seconds since 1970");
        }
    }

    @Test
    void theLatestAcceptedInstantIsTheYear9999() throws Exception {
        TokenVerifier.Verified v = verifier.verify(signRaw("{\"sub\":\"a\",\"exp\":253402300799,\"iat\":0}"), "a");
        assertThat(v.expiresAt()).isEqualTo(253_402_300_799_000L);
        assertThat(v.claims()).containsEntry("exp", 253_402_300_799L).containsEntry("iat", 0L);
    }

    @Test
    void aPayloadThatIsNotAnObjectIsRefused() throws Exception {
        assertThat(refusal(verifier, signRaw("[1,2]")).getMessage()).contains("not a JSON object");
    }
}
