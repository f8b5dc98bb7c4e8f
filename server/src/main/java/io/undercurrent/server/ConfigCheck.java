package io.undercurrent.server;

import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.roles.IdentityService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Checks that cross settings, once the embedded infrastructure (if any) has filled its part in. */
final class ConfigCheck {

    private ConfigCheck() {}

    static void forRole(Config config, Role role) throws ConfigException {
        List<String> problems = new ArrayList<>();
        if (config.get(ServerSettings.KAFKA_BOOTSTRAP) == null) {
            problems.add("'" + ServerSettings.KAFKA_BOOTSTRAP.key() + "' is required (or "
                    + ServerSettings.KAFKA_BOOTSTRAP.environmentVariable()
                    + "); set embedded.enabled=true to run a local Kafka instead");
        }
        if ((role.runsIngest() || role.runsEdge()) && config.sources().isEmpty()) {
            problems.add("no source database is configured; add sources.<name>.host/port/database/user/password");
        }
        String secret = config.get(ServerSettings.JWT_SECRET);
        if (role.runsEdge() && secret == null && config.get(ServerSettings.JWT_JWKS_URL) == null) {
            problems.add("'" + ServerSettings.JWT_SECRET.key() + "' (" + ServerSettings.JWT_SECRET.environmentVariable()
                    + ") or '"
                    + ServerSettings.JWT_JWKS_URL.key() + "' (" + ServerSettings.JWT_JWKS_URL.environmentVariable()
                    + ") is required for the edge role");
        } else if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            problems.add("'" + ServerSettings.JWT_SECRET.key() + "' is "
                    + secret.getBytes(StandardCharsets.UTF_8).length + " bytes; HS256 needs at least 32");
        } else {
            try {
                IdentityService.tokenSettings(config);
            } catch (IllegalArgumentException e) {
                problems.add("'" + ServerSettings.JWT_ALGORITHMS.key() + "': " + e.getMessage() + " (set '"
                        + ServerSettings.JWT_SECRET.key() + "' for HS256, '" + ServerSettings.JWT_JWKS_URL.key()
                        + "' for the others)");
            }
        }
        if (role.runsRouter()
                && config.get(RouterSettingDeclarations.HEARTBEAT_INTERVAL)
                                .multipliedBy(3)
                                .compareTo(config.get(RouterSettingDeclarations.SESSION_TIMEOUT))
                        > 0) {
            problems.add("'" + RouterSettingDeclarations.HEARTBEAT_INTERVAL.key() + "' ("
                    + config.get(RouterSettingDeclarations.HEARTBEAT_INTERVAL).toMillis()
                    + " ms) must be at most a third of '" + RouterSettingDeclarations.SESSION_TIMEOUT.key() + "' ("
                    + config.get(RouterSettingDeclarations.SESSION_TIMEOUT).toMillis()
                    + " ms), or a live router is taken for dead");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
