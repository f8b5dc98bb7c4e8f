package io.undercurrent.edge.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies HS256 JWTs and turns their claims into canonical values (numbers as Long, dates as epoch
 * seconds), the form rules see as {@code auth}. Only HS256 is accepted: a token naming any other
 * algorithm, {@code none} included, is refused.
 *
 * <p>The time claims are read from the raw payload and checked before any date arithmetic: each of
 * {@code exp}, {@code nbf} and {@code iat} must be a number of seconds from 0 to
 * {@link #MAX_EPOCH_SECOND}, so no value can overflow into the past or the future. A token without
 * {@code exp} is refused unless the edge allows tokens that never expire. {@code exp} is exact (a
 * connection's frames stop at that instant, so accepting an expired token would only close it at
 * once); {@code nbf} allows the clock skew, since the issuer's clock may run ahead. Thread-safe.
 */
public final class TokenVerifier {

    /** How far the issuer's clock may run ahead of the edge's for {@code nbf}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** The largest NumericDate accepted: 9999-12-31T23:59:59Z. Its milliseconds fit a long many times over. */
    static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final MACVerifier verifier;
    private final Clock clock;
    private final long skewMs;
    private final boolean requireExp;

    /**
     * @param requireExp whether a token must carry {@code exp}; false lets tokens without it live as
     *                   long as their connection
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes (HS256 needs 256 bits)
     */
    public TokenVerifier(byte[] secret, Clock clock, Duration clockSkew, boolean requireExp) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the JWT secret is " + secret.length + " bytes; HS256 needs at least 32");
        }
        try {
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
        this.clock = clock;
        this.skewMs = clockSkew.toMillis();
        this.requireExp = requireExp;
    }

    /** A verified token: its claims and when it expires (epoch ms, or null if it has no {@code exp}). */
    public record Verified(Map<String, Object> claims, Long expiresAt) {
    }

    public Verified verify(String token, String requestId) throws ProtocolException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw refused(requestId, "token is not a signed JWT: " + e.getMessage());
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw refused(requestId, "token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted; sign with HS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw refused(requestId, "token signature does not verify");
            }
        } catch (JOSEException e) {
            throw refused(requestId, "token signature does not verify: " + e.getMessage());
        }
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            throw refused(requestId, "token payload is not a JSON object of claims");
        }
        Long exp = epochMillis(payload, "exp", requestId);
        Long nbf = epochMillis(payload, "nbf", requestId);
        epochMillis(payload, "iat", requestId);
        long now = clock.millis();
        if (exp == null && requireExp) {
            throw refused(requestId, "token has no exp (expiry) claim; this server accepts only tokens that expire");
        }
        if (exp != null && exp <= now) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, requestId,
                    "token expired at " + Instant.ofEpochMilli(exp) + "; get a fresh one");
        }
        if (nbf != null && nbf - skewMs > now) {
            throw refused(requestId, "token is not valid before " + Instant.ofEpochMilli(nbf));
        }
        JWTClaimsSet claims;
        try {
            // Safe now: nimbus multiplies the seconds by 1000, and every time claim is in range.
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused(requestId, "token claims are malformed: " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> canonical = (Map<String, Object>) canonical(claims.getClaims());
        return new Verified(canonical, exp);
    }

    /**
     * A time claim as epoch milliseconds, or null when absent. RFC 7519 NumericDate: seconds since
     * 1970, possibly fractional. Anything else (text, negative, beyond year 9999, not finite) is refused.
     */
    private static Long epochMillis(Map<String, Object> payload, String claim, String requestId) throws ProtocolException {
        Object raw = payload.get(claim);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Number number)) {
            throw refused(requestId, "token claim " + claim + " must be a number of seconds since 1970 (NumericDate), not "
                    + shorten(raw));
        }
        double seconds = number.doubleValue();
        if (!(seconds >= 0 && seconds <= MAX_EPOCH_SECOND)) {
            throw refused(requestId, "token claim " + claim + " = " + shorten(number) + " is out of range: expected seconds since 1970, "
                    + "from 0 to " + MAX_EPOCH_SECOND + " (the year 9999)");
        }
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return number.longValue() * 1000;
        }
        return (long) Math.floor(seconds * 1000);
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static ProtocolException refused(String requestId, String message) {
        return new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId, message);
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
