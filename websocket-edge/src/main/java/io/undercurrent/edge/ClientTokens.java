package io.undercurrent.edge;

import io.undercurrent.edge.internal.TokenVerifier;
import io.undercurrent.edge.protocol.ProtocolException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Verifies client tokens as {@link TokenSettings} say (see websocket-edge/PROTOCOL.md,
 * "Authentication"): the edge uses it for {@code auth} frames and upgrade headers, and other
 * endpoints of the same server for bearer tokens. One instance per process, shared, so the identity
 * provider's key set is fetched and cached once.
 *
 * <p>Lifecycle: construct, {@link #start()} (fetches the JWKS, if any, retrying in the background on
 * failure), {@link #close()}. Thread-safe.
 */
public final class ClientTokens implements AutoCloseable {

    private final TokenVerifier verifier;

    /**
     * @param refusals told the reason of every refused token, in one lower-case word such as
     *                 {@code expired} or {@code unknown_key} (called on the verifying thread; must not block)
     * @throws IllegalArgumentException when the secret or the JWKS URL is unusable
     */
    public ClientTokens(TokenSettings settings, Clock clock, Consumer<String> refusals) {
        this.verifier = new TokenVerifier(settings, clock, reason -> refusals.accept(reason.label()));
    }

    /**
     * HS256 with a shared secret, {@code exp} required unless allowed otherwise, 30 s of clock skew.
     *
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public ClientTokens(byte[] secret, boolean requireExp, Clock clock) {
        this(TokenSettings.hs256(secret, requireExp), clock, reason -> {});
    }

    /** Fetches the JWKS, if any; returns after the first try, retrying in the background when it failed. */
    public void start() {
        verifier.start();
    }

    /** Whether tokens can be verified now: always with a secret only; with a JWKS, once it was fetched. */
    public boolean ready() {
        return verifier.keysLoaded();
    }

    /** Why the JWKS could not be fetched, or null. */
    public String problem() {
        return verifier.keysError();
    }

    /**
     * The token's claims in the form rules see them as {@code auth}, or empty when the token is
     * refused (malformed, wrong signature, algorithm, issuer or audience, expired, not yet valid).
     */
    public Optional<Map<String, Object>> claims(String token) {
        try {
            return Optional.of(verifier.verify(token, null).claims());
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }

    /** For the edge: the verifier behind these tokens. */
    TokenVerifier verifier() {
        return verifier;
    }

    @Override
    public void close() {
        verifier.close();
    }
}
