package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import java.util.Locale;

/**
 * A token the edge refuses, with why in one word (the {@code reason} label of the auth-failure
 * metric) and in a sentence (the error frame's message). Every reason is {@code unauthenticated} on
 * the wire except {@link Reason#EXPIRED}, which is {@code token_expired}.
 */
public final class TokenRefusal extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Longer than the edge reads. */
        OVERSIZED,
        /** Not a JWT, or claims that are not what RFC 7519 says. */
        MALFORMED,
        /** An algorithm this server does not accept, {@code none} included. */
        ALGORITHM,
        /** Its {@code kid} is in no key set, even after fetching the JWKS again; or no key fits it. */
        UNKNOWN_KEY,
        /** The signature does not verify with the key it names (or with any key that fits). */
        SIGNATURE,
        /** The JWKS could not be fetched, so no key is known yet. */
        KEYS_UNAVAILABLE,
        /** {@code iss} is not the configured issuer. */
        ISSUER,
        /** {@code aud} names none of the configured audiences. */
        AUDIENCE,
        /** No {@code exp} while the server requires one. */
        NO_EXPIRY,
        /** {@code exp} has passed. */
        EXPIRED,
        /** {@code nbf} (or {@code iat}) is in the future beyond the clock skew. */
        NOT_YET_VALID;

        /** The metric label: {@code unknown_key}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    TokenRefusal(Reason reason, String requestId, String message) {
        super(reason == Reason.EXPIRED ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHENTICATED, requestId, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
