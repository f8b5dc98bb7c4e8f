package io.undercurrent.server.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Deque;

/**
 * {@code GET /dev/token?sub=alice&role=admin}: signs a one-hour token with the development secret.
 * Mounted only in the embedded default, so the example app can switch users; never in production.
 */
public final class DevTokenHandler implements HttpHandler {

    private final MACSigner signer;
    private final Clock clock;

    public DevTokenHandler(String secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable development secret: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String sub = param(exchange, "sub", "alice");
        String role = param(exchange, "role", "user");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"token\":\"" + sign(sub, role, 3600) + "\"}");
    }

    /** A token for {@code sub} with {@code role}, valid for {@code seconds}. */
    public String sign(String sub, String role, long seconds) throws JOSEException {
        long now = clock.millis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("role", role)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + seconds * 1000))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String param(HttpServerExchange exchange, String name, String fallback) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        String value = values == null || values.isEmpty() ? fallback : values.getFirst();
        return value.replaceAll("[^A-Za-z0-9_.@-]", "");
    }
}
