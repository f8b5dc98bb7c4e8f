package io.undercurrent.server.e2e.chaos;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Who a client is: a user with a group, an admin, or anonymous (no token). Signs HS256 tokens for it;
 * each has a new {@code jti}, {@code iat} and {@code exp}, and so names the same identity.
 *
 * @param sub null for anonymous
 */
record Persona(String sub, String role, Integer group) {

    static final List<Persona> ALL = List.of(
            new Persona("alice", "user", 0),
            new Persona("bob", "user", 1),
            new Persona("carol", "user", 1),
            new Persona("dave", "user", 2),
            new Persona("erin", "user", 3),
            new Persona("root", "admin", 3),
            new Persona(null, null, null));

    static Persona random(Random random) {
        return ALL.get(random.nextInt(ALL.size()));
    }

    boolean anonymous() {
        return sub == null;
    }

    /** The claims as rules see them (numbers as Long); null when anonymous. Time claims are left out: no rule reads them. */
    Map<String, Object> claims() {
        if (anonymous()) {
            return null;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("role", role);
        claims.put("grp", group.longValue());
        return claims;
    }

    String token(String secret) {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("role", role)
                .claim("grp", group)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 3_600_000))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    String label() {
        return anonymous() ? "anonymous" : sub;
    }
}
