package io.undercurrent.edge;

import io.undercurrent.edge.internal.TokenVerifier;
import io.undercurrent.edge.protocol.ProtocolException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies client tokens exactly as the edge does (HS256 with the server's secret, {@code exp}
 * required unless allowed otherwise, time claims bounded, {@code nbf} with 30 s of clock skew), for
 * other endpoints of the same server that accept a bearer token. Thread-safe.
 */
public final class ClientTokens {

    private final TokenVerifier verifier;

    /**
     * @param requireExp whether a token must carry {@code exp}
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public ClientTokens(byte[] secret, boolean requireExp, Clock clock) {
        this.verifier = new TokenVerifier(secret, clock, TokenVerifier.DEFAULT_CLOCK_SKEW, requireExp);
    }

    /**
     * The token's claims in the form rules see them as {@code auth}, or empty when the token is not
     * valid now (malformed, wrong signature or algorithm, expired, not yet valid).
     */
    public Optional<Map<String, Object>> claims(String token) {
        try {
            return Optional.of(verifier.verify(token, null).claims());
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }
}
