package io.undercurrent.edge;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How client tokens are verified: which keys (a shared HS256 secret, the public keys of an identity
 * provider's JWKS, or both), which algorithms, issuer and audience, and where nested claims live.
 * Built and validated by the server from its configuration.
 *
 * @param hmacSecret         HS256 secret (at least 32 bytes), or null when tokens come from a JWKS only
 * @param jwksUrl            the identity provider's JWKS (public keys), or null
 * @param issuer             the {@code iss} every token must carry, or null to accept any issuer
 * @param audiences          a token's {@code aud} must name at least one of these; empty accepts any audience
 * @param algorithms         accepted {@code alg} values, upper case ({@code HS256}, {@code RS256}, {@code ES256}, ...)
 * @param claimsPath         the claim holding an object whose members rules should see at the top level of
 *                           {@code auth} (e.g. {@code app_metadata}), or null
 * @param clockSkew          how far the issuer's clock may run ahead of the edge's, for {@code nbf} and {@code iat}
 * @param requireExp         whether a token must carry {@code exp}
 * @param jwksRefreshLimit   least time between two fetches of the JWKS caused by tokens naming a key the
 *                           cached set lacks (at most two fetches per period)
 */
public record TokenSettings(
        byte[] hmacSecret,
        URI jwksUrl,
        String issuer,
        List<String> audiences,
        Set<String> algorithms,
        String claimsPath,
        Duration clockSkew,
        boolean requireExp,
        Duration jwksRefreshLimit) {

    /** Algorithms verified with the HS256 secret. */
    public static final Set<String> HMAC_ALGORITHMS = Set.of("HS256");
    /** Algorithms verified with public keys from the JWKS. */
    public static final Set<String> KEY_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_JWKS_REFRESH_LIMIT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException naming what is wrong */
    public TokenSettings {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksRefreshLimit, "jwksRefreshLimit");
        if (hmacSecret == null && jwksUrl == null) {
            throw new IllegalArgumentException("tokens need a key: an HS256 secret, a JWKS URL, or both");
        }
        if (hmacSecret != null && hmacSecret.length < 32) {
            throw new IllegalArgumentException(
                    "the JWT secret is " + hmacSecret.length + " bytes; HS256 needs at least 32");
        }
        if (algorithms == null || algorithms.isEmpty()) {
            algorithms = defaultAlgorithms(hmacSecret != null, jwksUrl != null);
        }
        Set<String> upper = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String a : algorithms) {
            String alg = a.trim().toUpperCase(Locale.ROOT);
            if (HMAC_ALGORITHMS.contains(alg) && hmacSecret == null) {
                problems.add(alg + " needs an HS256 secret");
            } else if (KEY_ALGORITHMS.contains(alg) && jwksUrl == null) {
                problems.add(alg + " needs a JWKS URL");
            } else if (!HMAC_ALGORITHMS.contains(alg) && !KEY_ALGORITHMS.contains(alg)) {
                problems.add("'" + a
                        + "' is not an accepted algorithm (use HS256, RS256, RS384, RS512, PS256, PS384, PS512, ES256, "
                        + "ES384 or ES512)");
            }
            upper.add(alg);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        algorithms = Set.copyOf(upper);
        if (claimsPath != null && claimsPath.isBlank()) {
            claimsPath = null;
        }
    }

    /** HS256 with a shared secret only: the simple set-up. */
    public static TokenSettings hs256(byte[] secret, boolean requireExp) {
        return new TokenSettings(
                secret,
                null,
                null,
                List.of(),
                Set.of(),
                null,
                DEFAULT_CLOCK_SKEW,
                requireExp,
                DEFAULT_JWKS_REFRESH_LIMIT);
    }

    /** HS256 when there is a secret; RS256 and ES256 when there is a JWKS. */
    public static Set<String> defaultAlgorithms(boolean secret, boolean jwks) {
        Set<String> out = new LinkedHashSet<>();
        if (secret) {
            out.add("HS256");
        }
        if (jwks) {
            out.add("RS256");
            out.add("ES256");
        }
        return out;
    }
}
