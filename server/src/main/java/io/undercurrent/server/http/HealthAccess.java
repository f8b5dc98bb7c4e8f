package io.undercurrent.server.http;

import io.undercurrent.edge.ClientTokens;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Who may read the detail of {@code /health} (database URL and user, Kafka address, rules folder,
 * errors): a caller on this machine, or a caller whose bearer token verifies under {@code jwt.secret}
 * and says {@code "role": "admin"}. A loopback caller that came through a proxy (it sent
 * {@code Forwarded} or {@code X-Forwarded-For}) is not taken for a local one. Thread-safe.
 */
public final class HealthAccess {

    static final String ADMIN_ROLE = "admin";
    private static final HttpString X_FORWARDED_FOR = new HttpString("X-Forwarded-For");

    private final ClientTokens tokens;

    /** @param tokens verifies bearer tokens, or null when this process has no JWT secret (then only local callers qualify) */
    public HealthAccess(ClientTokens tokens) {
        this.tokens = tokens;
    }

    boolean mayReadDetail(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        HeaderMap headers = exchange.getRequestHeaders();
        boolean forwarded = headers.contains(Headers.FORWARDED) || headers.contains(X_FORWARDED_FOR);
        return mayReadDetail(
                peer == null ? null : peer.getAddress(), forwarded, headers.getFirst(Headers.AUTHORIZATION));
    }

    /**
     * @param peer          the caller's address
     * @param forwarded     whether the request says a proxy forwarded it
     * @param authorization the {@code Authorization} header, or null
     */
    boolean mayReadDetail(InetAddress peer, boolean forwarded, String authorization) {
        if (peer != null && peer.isLoopbackAddress() && !forwarded) {
            return true;
        }
        if (tokens == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return tokens.claims(authorization.substring(7).trim())
                .map(c -> ADMIN_ROLE.equals(c.get("role")))
                .orElse(false);
    }
}
