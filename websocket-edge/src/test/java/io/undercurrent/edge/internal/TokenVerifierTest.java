package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
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
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final TokenVerifier verifier = new TokenVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30));

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").claim("role", "admin").claim("level", 3).claim("groups", List.of("a", "b"))
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
        assertThat(v.claims()).containsEntry("sub", "alice").containsEntry("role", "admin").containsEntry("level", 3L)
                .containsEntry("groups", List.of("a", "b")).containsEntry("exp", NOW.plusSeconds(600).getEpochSecond());
        assertThat(v.expiresAt()).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
    }

    @Test
    void expiredWrongSignatureOtherAlgorithmsAndUnsignedTokensAreRefused() throws Exception {
        String expired = sign(claims().expirationTime(Date.from(NOW.minusSeconds(60))).build(), JWSAlgorithm.HS256, SECRET);
        assertThat(codeOf(() -> verifier.verify(expired, "a"))).isEqualTo(ErrorCode.TOKEN_EXPIRED);

        String otherSecret = sign(claims().build(), JWSAlgorithm.HS256, "another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8));
        assertThat(codeOf(() -> verifier.verify(otherSecret, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        byte[] longSecret = new byte[64];
        System.arraycopy(SECRET, 0, longSecret, 0, SECRET.length);
        String hs512 = sign(claims().build(), JWSAlgorithm.HS512, longSecret);
        assertThat(codeOf(() -> verifier.verify(hs512, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        String unsigned = new PlainJWT(new PlainHeader(), claims().build()).serialize();
        assertThat(codeOf(() -> verifier.verify(unsigned, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        assertThat(codeOf(() -> verifier.verify("garbage", "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);

        String notYet = sign(claims().notBeforeTime(Date.from(NOW.plusSeconds(600))).build(), JWSAlgorithm.HS256, SECRET);
        assertThat(codeOf(() -> verifier.verify(notYet, "a"))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThatThrownBy(() -> new TokenVerifier(new byte[16], Clock.systemUTC(), Duration.ZERO)).hasMessageContaining("at least 32");
    }
}
