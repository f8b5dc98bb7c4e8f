package io.undercurrent.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.cli.Main;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.config.SourceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Roles run apart, as in a cluster: one process holds the embedded PostgreSQL and Kafka (and a role),
 * the others join it, in this JVM ({@link #start}) or in a child JVM that a test can kill with SIGKILL
 * ({@link #child}).
 */
final class SplitRoles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SplitRoles() {}

    /** The environment of the process that runs the embedded infrastructure. */
    static Map<String, String> infrastructure(Path dataDir, Path rulesDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_DATA_DIR", dataDir.toString());
        env.put("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0");
        env.put("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_HTTP_HOST", "127.0.0.1");
        env.put("UNDERCURRENT_RULES_DIR", rulesDir.toString());
        env.putAll(extra);
        return env;
    }

    /**
     * Starts the embedded infrastructure (PostgreSQL with the demo source {@code app}, Kafka) over the
     * project's rules, running {@code role}, for processes that serve other sources to join.
     */
    static ServerNode startInfrastructure(Path dataDir, Role role) throws Exception {
        Path projectRules = Path.of("..", "rules").toAbsolutePath().normalize();
        return start(infrastructure(dataDir, projectRules, Map.of()), role);
    }

    /** The environment of a process that joins the infrastructure {@code infra} runs, with its source {@code app}. */
    static Map<String, String> joining(ServerNode infra, Path rulesDir, Map<String, String> extra) {
        return joining(infra, rulesDir, appSource(infra), extra);
    }

    /**
     * The environment of a process that joins the Kafka and secret of {@code infra} but reads the sources
     * {@code sources} declares ({@code UNDERCURRENT_SOURCES_<NAME>_*}), not the embedded database.
     */
    static Map<String, String> joining(
            ServerNode infra, Path rulesDir, Map<String, String> sources, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_ENABLED", "false");
        env.put("UNDERCURRENT_KAFKA_BOOTSTRAP_SERVERS", infra.config().get(ServerSettings.KAFKA_BOOTSTRAP));
        env.putAll(sources);
        env.put("UNDERCURRENT_JWT_SECRET", infra.embedded().devSecret());
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_HTTP_HOST", "127.0.0.1");
        env.put("UNDERCURRENT_RULES_DIR", rulesDir.toString());
        env.putAll(extra);
        return env;
    }

    /** The variables that declare the embedded database of {@code infra} as source {@code app}. */
    static Map<String, String> appSource(ServerNode infra) {
        SourceConfig app = infra.config().sources().get("app");
        return Map.of(
                "UNDERCURRENT_SOURCES_APP_HOST", app.host(),
                "UNDERCURRENT_SOURCES_APP_PORT", Integer.toString(app.port()),
                "UNDERCURRENT_SOURCES_APP_DATABASE", app.database(),
                "UNDERCURRENT_SOURCES_APP_USER", app.user(),
                "UNDERCURRENT_SOURCES_APP_PASSWORD", app.password());
    }

    static ServerNode start(Map<String, String> env, Role role) throws Exception {
        return ServerNode.start(new ConfigLoader(env).load(null), role, Clock.systemUTC());
    }

    /** Starts {@code undercurrent run --role <role>} in a child JVM and returns once its banner is printed. */
    static ChildJvm child(String name, Role role, Map<String, String> env) {
        ChildJvm.Options options = ChildJvm.Options.of(Main.class)
                .withName(name)
                .withJvmArgs("-Xmx384m", "-XX:TieredStopAtLevel=1")
                .withArgs("run", "--role", role.name().toLowerCase(java.util.Locale.ROOT));
        for (Map.Entry<String, String> e : env.entrySet()) {
            options = options.withEnvironment(e.getKey(), e.getValue());
        }
        ChildJvm child = ChildJvm.start(options);
        try {
            child.awaitOutputLine(Pattern.compile(".*Undercurrent is running.*"), Duration.ofSeconds(120));
        } catch (RuntimeException | Error e) {
            child.close();
            throw e;
        }
        return child;
    }

    static String liveUrl(ServerNode edge) {
        return edge.http().address().replace("http://", "ws://") + "/v1/live";
    }

    /** GET /health of a node, parsed. */
    static JsonNode health(ServerNode node) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(node.http().address() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    static Connection database(ServerNode infra) throws Exception {
        SourceConfig app = infra.config().sources().get("app");
        Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
        c.setAutoCommit(true);
        return c;
    }
}
