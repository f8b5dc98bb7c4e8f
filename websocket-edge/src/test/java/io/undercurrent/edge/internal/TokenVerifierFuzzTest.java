package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link TokenVerifier}: any string is either verified or refused with a documented code
 * ({@code unauthenticated}, {@code token_expired}) and a message fit for a client; never another
 * exception, never a hang.
 *
 * <p>Two kinds of input, told apart by their first character: a line starting with <code>{</code>
 * is {@code header} JSON, a newline and {@code payload} JSON, which the test signs with the server's
 * secret, so the verifier's claim handling sees arbitrary claims behind a valid signature; anything
 * else is used as the token text itself.
 */
class TokenVerifierFuzzTest {

    private static final TokenVerifier VERIFIER =
            new TokenVerifier(EdgeFuzzing.SECRET, EdgeFuzzing.CLOCK, EdgeFuzzing.SKEW, true);
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({
        "{\"alg\":\"HS256\"}",
        "\"alg\"",
        "\"typ\"",
        "\"JWT\"",
        "\"none\"",
        "\"HS512\"",
        "\"crit\"",
        "\"b64\"",
        "\"exp\"",
        "\"nbf\"",
        "\"iat\"",
        "\"sub\"",
        "\"aud\"",
        "\"jti\"",
        "\"iss\"",
        "9223372036854775807",
        "-9223372036854775808",
        "1e400",
        "1.5",
        "null",
        "true",
        "[]",
        "{}",
        "eyJhbGciOiJIUzI1NiJ9",
        "."
    })
    void token(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        String token = text.startsWith("{") ? signed(text) : text;
        try {
            TokenVerifier.Verified verified = VERIFIER.verify(token, "a1");
            assertThat(verified.claims()).isNotNull();
            if (verified.expiresAt() != null) {
                assertThat(verified.expiresAt())
                        .as("an accepted token has not expired")
                        .isGreaterThan(EdgeFuzzing.NOW.toEpochMilli() - EdgeFuzzing.SKEW.toMillis());
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isIn(REFUSALS);
            assertThat(e.requestId()).isEqualTo("a1");
            ClientVisible.assertSafe(e.getMessage(), text);
        }
    }

    /** {@code header\npayload}, both taken as they are, signed HS256 with the verifier's secret. */
    private static String signed(String text) throws Exception {
        int newline = text.indexOf('\n');
        String header = newline < 0 ? text : text.substring(0, newline);
        String payload = newline < 0 ? "" : text.substring(newline + 1);
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(EdgeFuzzing.SECRET, "HmacSHA256"));
        return signingInput + "."
                + B64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }
}
