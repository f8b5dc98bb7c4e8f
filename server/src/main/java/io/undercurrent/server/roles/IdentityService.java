package io.undercurrent.server.roles;

import io.undercurrent.edge.ClientTokens;
import io.undercurrent.edge.TokenSettings;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Client token verification for the whole process ({@code jwt.*} settings): the edge checks
 * {@code auth} frames with it and {@code /health} checks admin tokens. Ready once the identity
 * provider's JWKS, when one is configured, has been fetched.
 */
public final class IdentityService implements Service {

    private final ClientTokens tokens;
    private final TokenSettings settings;

    private IdentityService(TokenSettings settings, Clock clock, Consumer<String> refusals) {
        this.settings = settings;
        this.tokens = new ClientTokens(settings, clock, refusals);
    }

    /**
     * The service, started (the JWKS fetched once, retried in the background), or null when no key
     * is configured ({@code jwt.secret} and {@code jwt.jwks-url} both unset).
     *
     * @param refusals told the reason of every refused token
     * @throws IllegalArgumentException when the {@code jwt.*} settings do not fit together
     */
    public static IdentityService start(Config config, Clock clock, Consumer<String> refusals) {
        TokenSettings settings = tokenSettings(config);
        if (settings == null) {
            return null;
        }
        IdentityService identity = new IdentityService(settings, clock, refusals);
        identity.tokens.start();
        return identity;
    }

    /**
     * The token settings the configuration describes, or null when it has no key.
     *
     * @throws IllegalArgumentException saying what does not fit (an algorithm without its key, a short secret)
     */
    public static TokenSettings tokenSettings(Config config) {
        String secret = config.get(ServerSettings.JWT_SECRET);
        String jwks = config.get(ServerSettings.JWT_JWKS_URL);
        if (secret == null && jwks == null) {
            return null;
        }
        return new TokenSettings(
                secret == null ? null : secret.getBytes(StandardCharsets.UTF_8),
                jwks == null ? null : URI.create(jwks),
                config.get(ServerSettings.JWT_ISSUER),
                config.get(ServerSettings.JWT_AUDIENCE),
                new LinkedHashSet<>(config.get(ServerSettings.JWT_ALGORITHMS)),
                config.get(ServerSettings.JWT_CLAIMS_PATH),
                config.get(ServerSettings.JWT_CLOCK_SKEW),
                config.get(ServerSettings.JWT_REQUIRE_EXP),
                TokenSettings.DEFAULT_JWKS_REFRESH_LIMIT);
    }

    public ClientTokens tokens() {
        return tokens;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public boolean healthy() {
        return true;
    }

    /** Not ready while the JWKS has never been fetched: every token from the identity provider would be refused. */
    @Override
    public boolean ready() {
        return tokens.ready();
    }

    @Override
    public Object status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("algorithms", settings.algorithms().stream().sorted().toList());
        if (settings.jwksUrl() != null) {
            s.put("jwksUrl", settings.jwksUrl().toString());
            s.put("keysLoaded", tokens.ready());
            if (tokens.problem() != null) {
                s.put("lastError", tokens.problem());
            }
        }
        return s;
    }

    @Override
    public void close() {
        tokens.close();
    }
}
