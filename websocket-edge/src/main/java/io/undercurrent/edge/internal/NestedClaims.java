package io.undercurrent.edge.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lifts a nested claims object to the top level, for identity providers that put a user's role and
 * other application claims inside one claim ({@code app_metadata}, Hasura's
 * {@code https://hasura.io/jwt/claims}, Keycloak's {@code realm_access}), so rules keep reading
 * {@code auth.role}. The path names that claim: first taken whole as the name of a top-level claim
 * (namespaced claims contain dots), otherwise split at dots ({@code app.claims} is {@code claims}
 * inside {@code app}). Its members are added beside the token's own claims and win over them, except
 * the registered claims ({@code iss sub aud exp nbf iat jti}): those always come from the top level,
 * where they were verified, so a nested {@code sub} cannot make one user pass for another. A token
 * without the path keeps its top-level claims only.
 */
final class NestedClaims {

    static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private NestedClaims() {}

    static Map<String, Object> lift(Map<String, Object> claims, String path) {
        if (path == null) {
            return claims;
        }
        Object nested = claims.get(path);
        if (nested == null) {
            nested = claims;
            for (String step : path.split("\\.", -1)) {
                nested = nested instanceof Map<?, ?> map ? map.get(step) : null;
            }
        }
        if (!(nested instanceof Map<?, ?> members)) {
            return claims;
        }
        Map<String, Object> out = new LinkedHashMap<>(claims);
        members.forEach((k, v) -> {
            String name = String.valueOf(k);
            if (!REGISTERED.contains(name)) {
                out.put(name, v);
            }
        });
        return out;
    }
}
