package io.undercurrent.server;

import io.undercurrent.edge.EdgeSettingDeclarations;
import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks docker-compose.yml and the Dockerfile the way start-up would, since no Docker engine runs
 * where the project is built: every {@code UNDERCURRENT_*} variable a service gets (the image's
 * {@code ENV} and the service's {@code environment}) goes through {@link ConfigLoader} and
 * {@link ConfigCheck#forRole} for the service's {@code --role}; then the deployment's shape (one
 * ingest, two routers and two edges with distinct ids), ports, health checks, the database and broker
 * the services point at, the rules and schema they share, and Prometheus' targets. Each problem is a
 * sentence naming the service.
 */
final class DeploymentFiles {

    private static final Pattern ENV_LINE = Pattern.compile("^ENV\\s+(\\S+?)=(\\S+)$");
    private static final Pattern HEALTH_PORT = Pattern.compile("\\$\\{UNDERCURRENT_HTTP_PORT:-(\\d+)\\}");

    private final Map<String, Object> compose;
    private final List<String> dockerfile;
    private final Path root;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param composeText    docker-compose.yml
     * @param dockerfileText the Dockerfile
     * @param root           the folder both live in (paths they mount are resolved against it)
     */
    DeploymentFiles(String composeText, String dockerfileText, Path root) {
        this.compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(composeText);
        this.dockerfile = logicalLines(dockerfileText);
        this.root = root;
    }

    /** Every problem found; empty when the files are consistent. */
    List<String> problems() throws Exception {
        problems.clear();
        Map<String, String> imageEnv = checkDockerfile();
        Map<String, Map<String, Object>> services = map(compose.get("services"), "services");
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, Config> configs = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (!runsUndercurrent(service)) {
                return;
            }
            Role role = role(name, service);
            Map<String, String> env = new HashMap<>(imageEnv);
            env.putAll(environment(service));
            Config config = config(name, env, role);
            if (role != null && config != null) {
                roles.put(name, role);
                configs.put(name, config);
                checkPorts(name, service, config);
                checkDependencies(name, service, services);
                checkDatabaseAndBroker(name, config, services);
                checkRules(name, service, config);
            }
        });
        checkShape(roles, configs);
        checkHostPorts(services);
        checkPrometheus(configs);
        checkSchema(services);
        return List.copyOf(problems);
    }

    // --- Dockerfile ---

    /** The final stage's {@code UNDERCURRENT_*} environment, after checking the image's shape. */
    private Map<String, String> checkDockerfile() {
        List<String> froms =
                dockerfile.stream().filter(l -> l.startsWith("FROM ")).toList();
        if (froms.size() < 2) {
            problems.add("Dockerfile: expected a build stage and a runtime stage, found " + froms.size() + " FROM");
            return Map.of();
        }
        if (!froms.get(0).matches("FROM maven:\\S*(temurin|jdk)-?17\\S* AS \\S+")) {
            problems.add("Dockerfile: the build stage should be Maven on a JDK 17 image: " + froms.get(0));
        }
        String runtime = froms.get(froms.size() - 1);
        if (!runtime.matches("FROM eclipse-temurin:17(\\.[0-9.]+)?-jre\\S*")) {
            problems.add("Dockerfile: the runtime stage should be a JRE 17 image: " + runtime);
        }
        List<String> last = dockerfile.subList(dockerfile.lastIndexOf(runtime), dockerfile.size());
        Map<String, String> env = new LinkedHashMap<>();
        String user = null;
        String health = null;
        List<String> exposed = new ArrayList<>();
        boolean copiesJar = false;
        for (String line : last) {
            Matcher m = ENV_LINE.matcher(line);
            if (m.matches() && m.group(1).startsWith("UNDERCURRENT_")) {
                env.put(m.group(1), m.group(2));
            } else if (line.startsWith("USER ")) {
                user = line.substring(5).trim();
            } else if (line.startsWith("HEALTHCHECK ")) {
                health = line;
            } else if (line.startsWith("EXPOSE ")) {
                exposed.addAll(List.of(line.substring(7).trim().split("\\s+")));
            } else if (line.startsWith("COPY --from=") && line.contains("undercurrent.jar")) {
                copiesJar = true;
            }
        }
        if (!copiesJar) {
            problems.add("Dockerfile: the runtime stage copies no undercurrent.jar from the build stage");
        }
        if (dockerfile.stream().noneMatch(l -> l.contains("server/target/undercurrent.jar"))) {
            problems.add("Dockerfile: the build stage does not take server/target/undercurrent.jar, the server's jar");
        }
        if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:")) {
            problems.add("Dockerfile: the runtime stage must run as a non-root USER, found " + user);
        }
        String port = String.valueOf(ServerSettings.HTTP_PORT.defaultValue());
        if (!exposed.contains(port)) {
            problems.add("Dockerfile: EXPOSE " + exposed + " lacks the HTTP port " + port + " (http.port's default)");
        }
        if (health == null || !health.contains("/health/live")) {
            problems.add("Dockerfile: HEALTHCHECK must probe /health/live (liveness), found " + health);
        } else {
            Matcher m = HEALTH_PORT.matcher(health);
            if (!m.find() || !m.group(1).equals(port)) {
                problems.add("Dockerfile: HEALTHCHECK must probe ${UNDERCURRENT_HTTP_PORT:-" + port
                        + "}, the port the server listens on: " + health);
            }
        }
        return env;
    }

    /** Lines with continuations joined, comments and blank lines dropped. */
    private static List<String> logicalLines(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(current.append(line).toString().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return out;
    }

    // --- compose services ---

    private static boolean runsUndercurrent(Map<String, Object> service) {
        return ".".equals(String.valueOf(service.get("build")))
                || String.valueOf(service.get("image")).startsWith("undercurrent");
    }

    private Role role(String name, Map<String, Object> service) {
        List<String> command = strings(service.get("command"));
        int at = command.indexOf("--role");
        if (command.isEmpty() || !command.get(0).equals("run") || at < 0 || at + 1 >= command.size()) {
            problems.add(name + ": command must be [run, --role, <role>], found " + command);
            return null;
        }
        try {
            return Role.valueOf(command.get(at + 1).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(name + ": --role " + command.get(at + 1) + " is none of all, ingest, router, edge");
            return null;
        }
    }

    /** The service's settings, read and checked as start-up reads and checks them. */
    private Config config(String name, Map<String, String> env, Role role) {
        try {
            Config config = new ConfigLoader(env).load(null);
            if (config.get(ServerSettings.EMBEDDED)) {
                problems.add(name + ": UNDERCURRENT_EMBEDDED_ENABLED must be false: a deployment uses its own "
                        + "PostgreSQL and Kafka");
                return null;
            }
            if (role != null) {
                ConfigCheck.forRole(config, role);
            }
            return config;
        } catch (ConfigException e) {
            e.problems().forEach(p -> problems.add(name + ": " + p));
            return null;
        }
    }

    private void checkPorts(String name, Map<String, Object> service, Config config) {
        int port = config.get(ServerSettings.HTTP_PORT);
        for (String mapping : strings(service.get("ports"))) {
            String container = mapping.substring(mapping.lastIndexOf(':') + 1).replaceAll("/.*", "");
            if (!container.equals(String.valueOf(port))) {
                problems.add(
                        name + ": publishes container port " + container + " but listens on " + port + " (http.port)");
            }
        }
        Object health = service.get("healthcheck");
        if (health != null
                && !String.valueOf(map(health, name + ".healthcheck").get("test"))
                        .contains("/health/")) {
            problems.add(name + ": its healthcheck should probe /health/live or /health/ready");
        }
    }

    private void checkDependencies(String name, Map<String, Object> service, Map<String, Map<String, Object>> all) {
        Object dependsOn = service.get("depends_on");
        if (!(dependsOn instanceof Map<?, ?> deps)) {
            problems.add(name + ": depends_on should wait for the database and the broker to be healthy");
            return;
        }
        deps.forEach((dep, condition) -> {
            Map<String, Object> target = all.get(String.valueOf(dep));
            if (target == null) {
                problems.add(name + ": depends on " + dep + ", which is no service");
            } else if (String.valueOf(condition).contains("service_healthy")
                    && target.get("healthcheck") == null
                    && !runsUndercurrent(target)) {
                problems.add(name + ": waits for " + dep + " to be healthy, but it has no healthcheck");
            }
        });
    }

    private void checkDatabaseAndBroker(String name, Config config, Map<String, Map<String, Object>> services) {
        config.sources().forEach((source, s) -> {
            Map<String, Object> db = services.get(s.host());
            if (db == null) {
                problems.add(name + ": source " + source + " points at host " + s.host() + ", which is no service");
                return;
            }
            if (!String.valueOf(db.get("command")).contains("wal_level=logical")) {
                problems.add(s.host() + ": PostgreSQL must run with wal_level=logical for ingest to capture changes");
            }
            Map<String, String> dbEnv = environment(db);
            if (!s.database().equals(dbEnv.get("POSTGRES_DB"))) {
                problems.add(name + ": source " + source + " reads database " + s.database() + " but " + s.host()
                        + " creates " + dbEnv.get("POSTGRES_DB"));
            }
            String superuser = dbEnv.getOrDefault("POSTGRES_USER", "postgres");
            if (s.user().equals(superuser) && !s.password().equals(dbEnv.get("POSTGRES_PASSWORD"))) {
                problems.add(name + ": source " + source + "'s password is not " + s.host() + "'s POSTGRES_PASSWORD");
            }
        });
        for (String server : config.get(ServerSettings.KAFKA_BOOTSTRAP).split(",")) {
            String host = server.substring(0, server.lastIndexOf(':'));
            Map<String, Object> kafka = services.get(host);
            if (kafka == null) {
                problems.add(name + ": Kafka bootstrap server " + server + " is no service");
                continue;
            }
            Map<String, String> kafkaEnv = environment(kafka);
            if (!kafkaEnv.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").contains("//" + server)) {
                problems.add(host + ": advertises " + kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS") + ", not " + server
                        + " that " + name + " connects to");
            }
            if (!kafkaEnv.getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller")) {
                problems.add(host + ": a single KRaft broker must also be its controller (KAFKA_PROCESS_ROLES)");
            }
        }
    }

    /** The service mounts the project's rules folder where its rules.dir points. */
    private void checkRules(String name, Map<String, Object> service, Config config) {
        String dir = config.get(RulesSettingDeclarations.DIR);
        boolean mounted = strings(service.get("volumes")).stream()
                .anyMatch(v -> v.startsWith("./rules:" + dir + ":") || v.equals("./rules:" + dir));
        if (!mounted) {
            problems.add(name + ": ./rules is not mounted at its rules.dir " + dir);
        }
    }

    // --- the deployment as a whole ---

    private void checkShape(Map<String, Role> roles, Map<String, Config> configs) {
        long ingests = roles.values().stream().filter(r -> r == Role.INGEST).count();
        long routers = roles.values().stream().filter(r -> r == Role.ROUTER).count();
        long edges = roles.values().stream().filter(r -> r == Role.EDGE).count();
        if (ingests != 1) {
            problems.add("expected one ingest service (two would capture every change twice), found " + ingests);
        }
        if (routers < 2) {
            problems.add("expected two routers, found " + routers);
        }
        if (edges < 2) {
            problems.add("expected two edges, found " + edges);
        }
        distinct(roles, configs, Role.ROUTER, c -> c.get(RouterSettingDeclarations.ID), "router.id");
        // Each edge names its own delivery topic after its id: two edges with one id would steal each other's.
        distinct(roles, configs, Role.EDGE, c -> c.get(EdgeSettingDeclarations.ID), "edge.id");
    }

    private void distinct(
            Map<String, Role> roles,
            Map<String, Config> configs,
            Role role,
            java.util.function.Function<Config, String> id,
            String key) {
        Map<String, String> seen = new HashMap<>();
        roles.forEach((name, r) -> {
            if (r != role) {
                return;
            }
            String value = id.apply(configs.get(name));
            if (value == null) {
                problems.add(name + ": set " + key + " (its default comes from the container's host name)");
            } else if (seen.putIfAbsent(value, name) != null) {
                problems.add(name + " and " + seen.get(value) + " share " + key + " " + value);
            }
        });
    }

    private void checkHostPorts(Map<String, Map<String, Object>> services) {
        Map<String, String> taken = new HashMap<>();
        services.forEach((name, service) -> {
            for (String mapping : strings(service.get("ports"))) {
                String[] parts = mapping.split(":");
                if (parts.length < 2) {
                    continue;
                }
                String host = parts[parts.length - 2];
                String other = taken.putIfAbsent(host, name);
                if (other != null) {
                    problems.add(name + " and " + other + " both publish host port " + host);
                }
            }
        });
    }

    /** Prometheus scrapes every Undercurrent service on its HTTP port, and nothing else. */
    private void checkPrometheus(Map<String, Config> configs) throws Exception {
        Path file = root.resolve("deploy/prometheus/prometheus.yml");
        Map<String, Object> prometheus =
                new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        Set<String> targets = new TreeSet<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            for (Object statics : (List<?>) map(job, "scrape_configs").get("static_configs")) {
                targets.addAll(strings(map(statics, "static_configs").get("targets")));
            }
        }
        Set<String> expected = new TreeSet<>();
        configs.forEach((name, config) -> expected.add(name + ":" + config.get(ServerSettings.HTTP_PORT)));
        if (!targets.equals(expected)) {
            problems.add("deploy/prometheus/prometheus.yml scrapes " + targets + ", the services are " + expected);
        }
    }

    /** The database's init scripts create every table the rules name. */
    private void checkSchema(Map<String, Map<String, Object>> services) throws Exception {
        StringBuilder sql = new StringBuilder();
        for (Map<String, Object> service : services.values()) {
            for (String volume : strings(service.get("volumes"))) {
                if (volume.contains(":/docker-entrypoint-initdb.d")) {
                    Path dir = root.resolve(volume.substring(0, volume.indexOf(':')));
                    try (var files = Files.list(dir)) {
                        for (Path f :
                                files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                            sql.append(Files.readString(f).toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }
            }
        }
        Pattern table = Pattern.compile("(?m)^table:\\s*(\\S+)");
        try (var files = Files.list(root.resolve("rules"))) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".test.yaml"))
                    .toList()) {
                Matcher m = table.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(1).toLowerCase(java.util.Locale.ROOT);
                    if (!sql.toString().contains("create table " + name + " ")) {
                        problems.add("rules/" + f.getFileName() + " covers " + name
                                + ", which no script in the database's /docker-entrypoint-initdb.d creates");
                    } else if (!sql.toString().contains("alter table " + name + " replica identity full")) {
                        problems.add(name + " needs replica identity full (rules judge a removal on the old row)");
                    }
                }
            }
        }
    }

    // --- YAML helpers ---

    /** A service's environment, written as a mapping or as a list of NAME=value. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (raw instanceof List<?> list) {
            for (Object item : list) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " should be a mapping, found " + o);
        }
        return (Map<String, V>) o;
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(o).trim().split("\\s+"));
    }
}
