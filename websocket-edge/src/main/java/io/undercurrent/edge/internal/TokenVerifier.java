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
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies HS256 JWTs and turns their claims into canonical values (numbers as Long, dates as epoch
 * seconds), the form rules see as {@code auth}. Only HS256 is accepted: a token naming any other
 * algorithm, {@code none} included, is refused. Thread-safe.
 */
public final class TokenVerifier {

    private final MACVerifier verifier;
    private final Clock clock;
    private final long skewMs;

    /**
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes (HS256 needs 256 bits)
     */
    public TokenVerifier(byte[] secret, Clock clock, Duration clockSkew) {
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
    }

    /** A verified token: its claims and when it expires (epoch ms, or null if it has no {@code exp}). */
    public record Verified(Map<String, Object> claims, Long expiresAt) {
    }

    public Verified verify(String token, String requestId) throws ProtocolException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId, "token is not a signed JWT: " + e.getMessage());
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId,
                    "token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted; sign with HS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId, "token signature does not verify");
            }
        } catch (JOSEException e) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId, "token signature does not verify: " + e.getMessage());
        }
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp != null && exp.getTime() + skewMs <= now) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED, requestId, "token expired at " + exp.toInstant() + "; get a fresh one");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() - skewMs > now) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, requestId, "token is not valid before " + nbf.toInstant());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> canonical = (Map<String, Object>) canonical(claims.getClaims());
        return new Verified(canonical, exp == null ? null : exp.getTime());
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
