package io.undercurrent.edge.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.bus.Interner;
import io.undercurrent.edge.TokenSettings;
import io.undercurrent.edge.internal.TokenRefusal.Reason;
import io.undercurrent.edge.protocol.ProtocolException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Verifies client JWTs and turns their claims into canonical values (numbers as Long, dates as epoch
 * seconds), the form rules see as {@code auth}. A token is accepted only when it is at most
 * {@link #MAX_TOKEN_CHARS} long, signed with an accepted algorithm ({@code none} never is), and its
 * signature verifies: HS256 with the shared secret, the asymmetric algorithms with a public key of
 * the identity provider's JWKS ({@link JwksKeys}). The two never mix, so a token "signed" with HS256
 * using a public key as the secret (algorithm confusion) is refused. Then {@code iss} and {@code aud}
 * must match what is configured.
 *
 * <p>The time claims are read from the raw payload and checked before any date arithmetic: each of
 * {@code exp}, {@code nbf} and {@code iat} must be a number of seconds from 0 to
 * {@link #MAX_EPOCH_SECOND}, so no value can overflow into the past or the future. A token without
 * {@code exp} is refused unless the edge allows tokens that never expire. {@code exp} is exact (a
 * connection's frames stop at that instant, so accepting an expired token would only close it at
 * once); {@code nbf} allows the clock skew, since the issuer's clock may run ahead.
 *
 * <p>Every refusal is a {@link TokenRefusal} naming its reason, and is reported to the refusal
 * listener (the auth-failure metric). Thread-safe.
 */
public final class TokenVerifier implements AutoCloseable {

    /** How far the issuer's clock may run ahead of the edge's for {@code nbf}. */
    public static final Duration DEFAULT_CLOCK_SKEW = TokenSettings.DEFAULT_CLOCK_SKEW;
    /** The largest NumericDate accepted: 9999-12-31T23:59:59Z. Its milliseconds fit a long many times over. */
    static final long MAX_EPOCH_SECOND = 253_402_300_799L;
    /** The longest token read, in characters: identity providers' tokens are a few KiB; anything larger is refused unparsed. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final TokenSettings settings;
    private final MACVerifier secretVerifier;
    private final JwksKeys jwks;
    private final Set<JWSAlgorithm> algorithms;
    private final Clock clock;
    private final long skewMs;
    private final Consumer<TokenRefusal.Reason> refusals;
    /**
     * One copy of claims that repeat: every connection keeps its claims, and a client's connections
     * (tabs, reconnects) usually present the same token. At most 1,024 sets kept beyond their holders.
     */
    private final Interner<Map<String, Object>> claimSets = new Interner<>(1024);

    /**
     * HS256 with a shared secret only.
     *
     * @param requireExp whether a token must carry {@code exp}; false lets tokens without it live as
     *                   long as their connection
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes (HS256 needs 256 bits)
     */
    public TokenVerifier(byte[] secret, Clock clock, Duration clockSkew, boolean requireExp) {
        this(
                new TokenSettings(
                        secret,
                        null,
                        null,
                        List.of(),
                        Set.of(),
                        null,
                        clockSkew,
                        requireExp,
                        TokenSettings.DEFAULT_JWKS_REFRESH_LIMIT),
                clock,
                reason -> {});
    }

    /**
     * @param refusals told the reason of every refused token (called on the verifying thread; must not block)
     * @throws IllegalArgumentException when the secret is unusable or the JWKS URL is not a URL
     */
    public TokenVerifier(TokenSettings settings, Clock clock, Consumer<TokenRefusal.Reason> refusals) {
        this.settings = settings;
        try {
            this.secretVerifier = settings.hmacSecret() == null ? null : new MACVerifier(settings.hmacSecret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
        this.jwks = settings.jwksUrl() == null ? null : new JwksKeys(settings.jwksUrl(), settings.jwksRefreshLimit());
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        settings.algorithms().forEach(a -> algs.add(JWSAlgorithm.parse(a)));
        this.algorithms = Set.copyOf(algs);
        this.clock = clock;
        this.skewMs = settings.clockSkew().toMillis();
        this.refusals = refusals;
    }

    /** Fetches the JWKS, if any; a failure is logged and retried in the background. Returns at once. */
    public void start() {
        if (jwks != null) {
            jwks.start();
        }
    }

    /** Whether tokens can be verified: true without a JWKS, else once it was fetched. */
    public boolean keysLoaded() {
        return jwks == null || jwks.loaded();
    }

    /** Why the JWKS could not be fetched, or null. */
    public String keysError() {
        return jwks == null ? null : jwks.lastError();
    }

    @Override
    public void close() {
        if (jwks != null) {
            jwks.close();
        }
    }

    /** A verified token: its claims and when it expires (epoch ms, or null if it has no {@code exp}). */
    public record Verified(Map<String, Object> claims, Long expiresAt) {}

    /** @throws TokenRefusal (a {@link ProtocolException}) saying why the token is refused */
    public Verified verify(String token, String requestId) throws ProtocolException {
        try {
            return check(token, requestId);
        } catch (TokenRefusal e) {
            refusals.accept(e.reason());
            throw e;
        }
    }

    private Verified check(String token, String requestId) throws TokenRefusal {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw refused(
                    Reason.OVERSIZED,
                    requestId,
                    "token is " + token.length() + " characters; at most " + MAX_TOKEN_CHARS + " are accepted");
        }
        SignedJWT jwt = parse(token, requestId);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw refused(
                    Reason.ALGORITHM,
                    requestId,
                    "token algorithm " + alg + " is not accepted; this server accepts "
                            + sorted(settings.algorithms()));
        }
        verifySignature(jwt, requestId);
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            throw refused(Reason.MALFORMED, requestId, "token payload is not a JSON object of claims");
        }
        Long exp = epochMillis(payload, "exp", requestId);
        Long nbf = epochMillis(payload, "nbf", requestId);
        epochMillis(payload, "iat", requestId);
        long now = clock.millis();
        if (exp == null && settings.requireExp()) {
            throw refused(
                    Reason.NO_EXPIRY,
                    requestId,
                    "token has no exp (expiry) claim; this server accepts only tokens that expire");
        }
        if (exp != null && exp <= now) {
            throw refused(
                    Reason.EXPIRED, requestId, "token expired at " + Instant.ofEpochMilli(exp) + "; get a fresh one");
        }
        if (nbf != null && nbf - skewMs > now) {
            throw refused(Reason.NOT_YET_VALID, requestId, "token is not valid before " + Instant.ofEpochMilli(nbf));
        }
        JWTClaimsSet claims;
        try {
            // Safe now: nimbus multiplies the seconds by 1000, and every time claim is in range.
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused(Reason.MALFORMED, requestId, "token claims are malformed: " + e.getMessage());
        }
        checkIssuer(claims, requestId);
        checkAudience(claims, requestId);
        @SuppressWarnings("unchecked")
        Map<String, Object> canonical = (Map<String, Object>) canonical(claims.getClaims());
        // Shared with every connection that presents equal claims, so nobody may change them.
        Map<String, Object> verified =
                claimSets.intern(Collections.unmodifiableMap(NestedClaims.lift(canonical, settings.claimsPath())));
        return new Verified(verified, exp);
    }

    private static SignedJWT parse(String token, String requestId) throws TokenRefusal {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused(Reason.MALFORMED, requestId, "token is not a signed JWT: " + e.getMessage());
        }
        if (parsed instanceof PlainJWT) {
            throw refused(Reason.ALGORITHM, requestId, "token is unsigned (alg none); only signed tokens are accepted");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            throw refused(Reason.MALFORMED, requestId, "token is encrypted (JWE); send a signed JWT (JWS)");
        }
        return jwt;
    }

    private void verifySignature(SignedJWT jwt, String requestId) throws TokenRefusal {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            // Only ever the configured secret: never a key from the JWKS, so a public key cannot serve as an HMAC
            // secret.
            if (!verifies(jwt, secretVerifier)) {
                throw refused(Reason.SIGNATURE, requestId, "token signature does not verify with the server's secret");
            }
            return;
        }
        String kid = jwt.getHeader().getKeyID();
        List<JWK> keys;
        try {
            keys = jwks.select(jwt.getHeader());
        } catch (RateLimitReachedException e) {
            throw refused(
                    Reason.UNKNOWN_KEY, requestId, unknownKey(kid, alg) + " (the JWKS was fetched again moments ago)");
        } catch (KeySourceException e) {
            throw refused(
                    Reason.KEYS_UNAVAILABLE,
                    requestId,
                    "the identity provider's keys (JWKS) cannot be fetched now; retry later");
        }
        if (keys.isEmpty()) {
            throw refused(Reason.UNKNOWN_KEY, requestId, unknownKey(kid, alg));
        }
        for (JWK key : keys) {
            if (verifies(jwt, verifierFor(key))) {
                return;
            }
        }
        throw refused(
                Reason.SIGNATURE,
                requestId,
                kid != null
                        ? "token signature does not verify with key '" + shorten(kid) + "' of the identity provider"
                        : "token signature verifies with no key of the identity provider");
    }

    private static String unknownKey(String kid, JWSAlgorithm alg) {
        return kid != null
                ? "token key id (kid) '" + shorten(kid) + "' is not among the identity provider's keys"
                : "no key of the identity provider fits a token of algorithm " + alg + " without a key id (kid)";
    }

    private static JWSVerifier verifierFor(JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa);
            }
            if (key instanceof ECKey ec) {
                return new ECDSAVerifier(ec);
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    private static boolean verifies(SignedJWT jwt, JWSVerifier verifier) {
        if (verifier == null) {
            return false;
        }
        try {
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private void checkIssuer(JWTClaimsSet claims, String requestId) throws TokenRefusal {
        if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
            throw refused(
                    Reason.ISSUER,
                    requestId,
                    claims.getIssuer() == null
                            ? "token has no issuer (iss); expected '" + settings.issuer() + "'"
                            : "token issuer '" + shorten(claims.getIssuer()) + "' is not '" + settings.issuer() + "'");
        }
    }

    private void checkAudience(JWTClaimsSet claims, String requestId) throws TokenRefusal {
        if (settings.audiences().isEmpty()) {
            return;
        }
        List<String> aud = claims.getAudience();
        if (aud.stream().noneMatch(settings.audiences()::contains)) {
            throw refused(
                    Reason.AUDIENCE,
                    requestId,
                    (aud.isEmpty()
                                    ? "token has no audience (aud)"
                                    : "token audience " + shorten(aud) + " is not for this server")
                            + "; expected "
                            + (settings.audiences().size() == 1
                                    ? "'" + settings.audiences().get(0) + "'"
                                    : "one of " + settings.audiences()));
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /**
     * A time claim as epoch milliseconds, or null when absent. RFC 7519 NumericDate: seconds since
     * 1970, possibly fractional. Anything else (text, negative, beyond year 9999, not finite) is refused.
     */
    private static Long epochMillis(Map<String, Object> payload, String claim, String requestId) throws TokenRefusal {
        Object raw = payload.get(claim);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Number number)) {
            throw refused(
                    Reason.MALFORMED,
                    requestId,
                    "token claim " + claim + " must be a number of seconds since 1970 (NumericDate), not "
                            + shorten(raw));
        }
        double seconds = number.doubleValue();
        if (!(seconds >= 0 && seconds <= MAX_EPOCH_SECOND)) {
            throw refused(
                    Reason.MALFORMED,
                    requestId,
                    "token claim " + claim + " = " + shorten(number) + " is out of range: expected seconds since 1970, "
                            + "from 0 to " + MAX_EPOCH_SECOND + " (the year 9999)");
        }
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue() * 1000;
        }
        return (long) Math.floor(seconds * 1000);
    }

    static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static TokenRefusal refused(Reason reason, String requestId, String message) {
        return new TokenRefusal(reason, requestId, message);
    }

    private static Object canonical(Object value) {
        if (value instanceof Date date) {
            return date.getTime() / 1000;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(canonical(v)));
            return out;
        }
        return value;
    }
}
