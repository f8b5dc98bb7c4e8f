package io.undercurrent.server.e2e;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of a server process that runs a role against a Kafka and a PostgreSQL it does not
 * own (the embedded default off), as a cluster deployment configures it: source {@code app}, an
 * HS256 secret shared by every edge, a rules folder, HTTP on a free port of 127.0.0.1.
 */
public final class RoleEnvironment {

    private RoleEnvironment() {}

    /** Where the roles find Kafka and the {@code app} database, and what they share. */
    public record Infrastructure(
            String bootstrapServers,
            String host,
            int port,
            String database,
            String user,
            String password,
            String jwtSecret,
            Path rulesDir) {}

    /** The variables for one role process; {@code extra} adds or replaces any of them. */
    public static Map<String, String> of(Infrastructure infra, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_ENABLED", "false");
        env.put("UNDERCURRENT_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("UNDERCURRENT_SOURCES_APP_HOST", infra.host());
        env.put("UNDERCURRENT_SOURCES_APP_PORT", Integer.toString(infra.port()));
        env.put("UNDERCURRENT_SOURCES_APP_DATABASE", infra.database());
        env.put("UNDERCURRENT_SOURCES_APP_USER", infra.user());
        env.put("UNDERCURRENT_SOURCES_APP_PASSWORD", infra.password());
        env.put("UNDERCURRENT_JWT_SECRET", infra.jwtSecret());
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_HTTP_HOST", "127.0.0.1");
        env.put(
                "UNDERCURRENT_RULES_DIR",
                infra.rulesDir().toAbsolutePath().normalize().toString());
        env.putAll(extra);
        return env;
    }
}
