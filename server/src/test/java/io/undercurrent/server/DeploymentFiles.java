package io.undercurrent.server;

import io.undercurrent.edge.EdgeSettingDeclarations;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.router.RouterSettingDeclarations;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.rules.RulesTool;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.config.SourceConfig;
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
 * {@link ConfigCheck#forRole} for the service's {@code --role}; then the base deployment's shape (one
 * ingest, two routers and two edges), ids distinct across every service, ports, health checks, the
 * database (by its kind) and broker the services point at, the rules each mounts (loaded and tested)
 * and the schema they need, and Prometheus' targets.
 *
 * <p>Services with {@code profiles} (docker compose --profile) are checked like the base ones, and may
 * reach only services of the base or of a profile they share. Each profile that runs Undercurrent is a
 * deployment of its own on the shared broker: its own topic prefix and routers' group. Each problem is
 * a sentence naming the service.
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
        Map<String, String> rulesFolders = new LinkedHashMap<>();
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
                checkDatabaseAndBroker(name, service, config, services);
                String rules = checkRules(name, service, config);
                if (rules != null) {
                    rulesFolders.put(name, rules);
                }
            }
        });
        Map<String, Role> baseRoles = new LinkedHashMap<>();
        roles.forEach((name, role) -> {
            if (profiles(services.get(name)).isEmpty()) {
                baseRoles.put(name, role);
            }
        });
        Map<String, Config> baseConfigs = new LinkedHashMap<>(configs);
        baseConfigs.keySet().retainAll(baseRoles.keySet());
        checkShape(baseRoles, roles, configs);
        checkIsolation(services, roles, configs);
        checkHostPorts(services);
        // Prometheus (profile monitoring) scrapes the base deployment, which runs whenever it does.
        checkPrometheus(baseConfigs);
        checkSchema(services, configs, rulesFolders);
        checkRuleFiles(configs, rulesFolders);
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
            } else if (!reachable(service, target)) {
                problems.add(name + ": depends on " + dep + " of profile " + profiles(target)
                        + ", which does not run with " + name + " (profiles " + profiles(service) + ")");
            } else if (String.valueOf(condition).contains("service_healthy")
                    && target.get("healthcheck") == null
                    && !runsUndercurrent(target)) {
                problems.add(name + ": waits for " + dep + " to be healthy, but it has no healthcheck");
            }
        });
    }

    private void checkDatabaseAndBroker(
            String name, Map<String, Object> service, Config config, Map<String, Map<String, Object>> services) {
        Object dependsOn = service.get("depends_on");
        config.sources().forEach((source, s) -> {
            for (String host : hosts(s)) {
                Map<String, Object> db = services.get(host);
                if (db == null) {
                    problems.add(name + ": source " + source + " points at host " + host + ", which is no service");
                    continue;
                }
                if (!reachable(service, db)) {
                    problems.add(name + ": source " + source + " points at " + host + " of profile " + profiles(db)
                            + ", which does not run with " + name + " (profiles " + profiles(service) + ")");
                }
                if (dependsOn instanceof Map<?, ?> deps && !deps.containsKey(host)) {
                    problems.add(name + ": depends_on should wait for " + host + ", source " + source + "'s database");
                }
                switch (s.kind()) {
                    case POSTGRES -> checkPostgres(name, source, s, host, db);
                    case MARIADB, MYSQL -> checkBinlogDatabase(name, source, s, host, db);
                    case MONGODB -> checkMongo(name, source, s, host, db);
                }
            }
        });
        for (String server : config.get(ServerSettings.KAFKA_BOOTSTRAP).split(",")) {
            String host = server.substring(0, server.lastIndexOf(':'));
            Map<String, Object> kafka = services.get(host);
            if (kafka == null) {
                problems.add(name + ": Kafka bootstrap server " + server + " is no service");
                continue;
            }
            if (!reachable(service, kafka)) {
                problems.add(name + ": Kafka bootstrap server " + server + " is of profile " + profiles(kafka)
                        + ", which does not run with " + name);
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

    private void checkPostgres(String name, String source, SourceConfig s, String host, Map<String, Object> db) {
        if (!String.valueOf(db.get("command")).contains("wal_level=logical")) {
            problems.add(host + ": PostgreSQL must run with wal_level=logical for ingest to capture changes");
        }
        Map<String, String> dbEnv = environment(db);
        if (!s.database().equals(dbEnv.get("POSTGRES_DB"))) {
            problems.add(name + ": source " + source + " reads database " + s.database() + " but " + host + " creates "
                    + dbEnv.get("POSTGRES_DB"));
        }
        String superuser = dbEnv.getOrDefault("POSTGRES_USER", "postgres");
        if (s.user().equals(superuser) && !s.password().equals(dbEnv.get("POSTGRES_PASSWORD"))) {
            problems.add(name + ": source " + source + "'s password is not " + host + "'s POSTGRES_PASSWORD");
        }
    }

    /**
     * MariaDB or MySQL: a binary log of whole rows (the old row too, so rules judge a removal on it),
     * MySQL's GTIDs, the database, and the user's replication grants in the init scripts.
     */
    private void checkBinlogDatabase(String name, String source, SourceConfig s, String host, Map<String, Object> db) {
        boolean maria = s.kind() == SourceKind.MARIADB;
        String product = maria ? "MariaDB" : "MySQL";
        String command = " "
                + String.join(" ", strings(db.get("command"))).replace('_', '-').toLowerCase(java.util.Locale.ROOT)
                + " ";
        List<String> flags = maria
                ? List.of("--log-bin", "--binlog-format=ROW", "--binlog-row-image=FULL")
                : List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON");
        for (String flag : flags) {
            String wanted = flag.toLowerCase(java.util.Locale.ROOT);
            if (!command.contains(" " + wanted + " ") && !command.contains(" " + wanted + "=")) {
                problems.add(host + ": " + product + " must run with " + String.join(" ", flags)
                        + " for ingest to capture changes; " + flag + " is missing");
            }
        }
        Map<String, String> dbEnv = environment(db);
        String prefix = maria ? "MARIADB_" : "MYSQL_";
        if (!s.database().equals(dbEnv.get(prefix + "DATABASE"))) {
            problems.add(name + ": source " + source + " reads database " + s.database() + " but " + host + " creates "
                    + dbEnv.get(prefix + "DATABASE") + " (" + prefix + "DATABASE)");
        }
        if (s.user().equals("root")) {
            if (!s.password().equals(dbEnv.get(prefix + "ROOT_PASSWORD"))) {
                problems.add(
                        name + ": source " + source + "'s password is not " + host + "'s " + prefix + "ROOT_PASSWORD");
            }
            return;
        }
        if (s.user().equals(dbEnv.get(prefix + "USER")) && !s.password().equals(dbEnv.get(prefix + "PASSWORD"))) {
            problems.add(name + ": source " + source + "'s password is not " + host + "'s " + prefix + "PASSWORD");
        }
        List<String> privileges = maria
                ? List.of("select", "reload", "replication slave", "binlog monitor")
                : List.of("select", "reload", "replication slave", "replication client");
        String user = "'" + s.user().toLowerCase(java.util.Locale.ROOT) + "'";
        boolean granted = false;
        // Comments first: they may hold a ';'.
        for (String statement : initSql(db).replaceAll("--[^\n]*", "").split(";")) {
            String st = statement.replaceAll("\\s+", " ").strip();
            if (st.startsWith("grant ")
                    && st.contains(" on *.* to " + user)
                    && privileges.stream().allMatch(st::contains)) {
                granted = true;
            }
        }
        if (!granted) {
            problems.add(host + ": no init script grants "
                    + String.join(", ", privileges).toUpperCase(java.util.Locale.ROOT) + " ON *.* to " + user
                    + ", source " + source + "'s user (ingest reads the binary log as a replica)");
        }
    }

    /** MongoDB: a replica set (change streams need one), initiated, and named as the source names it. */
    private void checkMongo(String name, String source, SourceConfig s, String host, Map<String, Object> db) {
        List<String> command = strings(db.get("command"));
        int at = command.indexOf("--replSet");
        if (at < 0 || at + 1 >= command.size()) {
            problems.add(
                    host + ": MongoDB must run as a replica set (--replSet) for ingest to read its change streams");
            return;
        }
        String set = command.get(at + 1);
        Object health = db.get("healthcheck");
        if (health == null
                || !String.valueOf(map(health, host + ".healthcheck").get("test"))
                        .contains("rs.initiate")) {
            problems.add(host + ": nothing initiates replica set " + set + "; its healthcheck should (rs.initiate)");
        }
        if (s.connectionString() != null) {
            Matcher m = Pattern.compile("[?&]replicaSet=([^&]+)").matcher(s.connectionString());
            if (m.find() && !m.group(1).equals(set)) {
                problems.add(name + ": source " + source + "'s connection string names replica set " + m.group(1)
                        + " but " + host + " runs --replSet " + set);
            }
        }
    }

    /** The hosts a source connects to: a MongoDB connection string's, or sources.<name>.host. */
    private static List<String> hosts(SourceConfig s) {
        if (s.connectionString() == null) {
            return List.of(s.host());
        }
        String rest = s.connectionString().replaceFirst("^mongodb(\\+srv)?://", "");
        rest = rest.substring(rest.indexOf('@') + 1).replaceAll("[/?].*", "");
        return java.util.Arrays.stream(rest.split(","))
                .map(h -> h.replaceAll(":\\d+$", ""))
                .toList();
    }

    /** The statements of the scripts mounted at the database's /docker-entrypoint-initdb.d, lower case. */
    private String initSql(Map<String, Object> db) {
        StringBuilder sql = new StringBuilder();
        for (String volume : strings(db.get("volumes"))) {
            if (volume.contains(":/docker-entrypoint-initdb.d")) {
                Path dir = root.resolve(volume.substring(0, volume.indexOf(':')));
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (var files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".sql"))
                            .sorted()
                            .toList()) {
                        sql.append(Files.readString(f).toLowerCase(java.util.Locale.ROOT))
                                .append('\n');
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return sql.toString();
    }

    /**
     * The service mounts a folder of the project where its rules.dir points: ./rules for the base
     * deployment. Returns that folder, relative to the project, or null.
     */
    private String checkRules(String name, Map<String, Object> service, Config config) {
        String dir = config.get(RulesSettingDeclarations.DIR);
        for (String volume : strings(service.get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts.length >= 2 && parts[1].equals(dir)) {
                String folder = parts[0].replaceFirst("^\\./", "");
                if (profiles(service).isEmpty() && !folder.equals("rules")) {
                    problems.add(name + ": mounts " + parts[0] + " at its rules.dir " + dir + ", not ./rules");
                }
                if (!Files.isDirectory(root.resolve(folder))) {
                    problems.add(name + ": mounts " + parts[0] + " at its rules.dir " + dir + ", which is no folder");
                    return null;
                }
                return folder;
            }
        }
        problems.add(name + ": " + (profiles(service).isEmpty() ? "./rules" : "no rules folder")
                + " is mounted at its rules.dir " + dir);
        return null;
    }

    // --- the deployment as a whole ---

    /** The base deployment's shape; ids are distinct across every service, profiles included. */
    private void checkShape(Map<String, Role> base, Map<String, Role> roles, Map<String, Config> configs) {
        long ingests = base.values().stream().filter(r -> r == Role.INGEST).count();
        long routers = base.values().stream().filter(r -> r == Role.ROUTER).count();
        long edges = base.values().stream().filter(r -> r == Role.EDGE).count();
        if (ingests != 1) {
            problems.add("expected one ingest service (two would capture every change twice), found " + ingests);
        }
        if (routers < 2) {
            problems.add("expected two routers, found " + routers);
        }
        if (edges < 2) {
            problems.add("expected two edges, found " + edges);
        }
        distinct(roles, configs, Role::runsRouter, c -> c.get(RouterSettingDeclarations.ID), "router.id");
        // Each edge names its own delivery topic after its id: two edges with one id would steal each other's.
        distinct(roles, configs, Role::runsEdge, c -> c.get(EdgeSettingDeclarations.ID), "edge.id");
    }

    private void distinct(
            Map<String, Role> roles,
            Map<String, Config> configs,
            java.util.function.Predicate<Role> runs,
            java.util.function.Function<Config, String> id,
            String key) {
        Map<String, String> seen = new HashMap<>();
        roles.forEach((name, r) -> {
            if (!runs.test(r)) {
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

    /**
     * The base deployment and each profile that runs Undercurrent are deployments of their own: within
     * one, every service uses the same topics and routers' group; across them on one broker, none share
     * a topic prefix or a group, or one's routers would read the other's changes and subscriptions
     * without its sources or rules.
     */
    private void checkIsolation(
            Map<String, Map<String, Object>> services, Map<String, Role> roles, Map<String, Config> configs) {
        Map<String, String> prefixOf = new LinkedHashMap<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        configs.forEach((name, config) -> {
            String deployment = deployment(services.get(name));
            String prefix = config.get(ServerSettings.KAFKA_BOOTSTRAP) + " " + config.get(ServerSettings.TOPIC_PREFIX);
            String known = prefixOf.putIfAbsent(deployment, prefix);
            if (known != null && !known.equals(prefix)) {
                problems.add(name + ": kafka.topic-prefix " + config.get(ServerSettings.TOPIC_PREFIX)
                        + " (or its broker) differs from the rest of " + deployment
                        + ": its routers and edges would not see each other's topics");
            }
            if (roles.get(name).runsRouter()) {
                String group = config.get(RouterSettingDeclarations.GROUP_ID) != null
                        ? config.get(RouterSettingDeclarations.GROUP_ID)
                        : config.get(ServerSettings.TOPIC_PREFIX) + "-router";
                String knownGroup = groupOf.putIfAbsent(deployment, group);
                if (knownGroup != null && !knownGroup.equals(group)) {
                    problems.add(name + ": router.group-id " + group + " differs from " + knownGroup
                            + " of the other routers of " + deployment
                            + ": they would not split the change partitions");
                }
            }
        });
        distinctAcross(prefixOf, "kafka.topic-prefix");
        distinctAcross(groupOf, "the routers' group (router.group-id, by default <kafka.topic-prefix>-router)");
    }

    private void distinctAcross(Map<String, String> valueOf, String what) {
        Map<String, String> owner = new HashMap<>();
        valueOf.forEach((deployment, value) -> {
            String other = owner.putIfAbsent(value, deployment);
            if (other != null) {
                problems.add(other + " and " + deployment + " share " + what + " "
                        + value.substring(value.indexOf(' ') + 1)
                        + " on one broker: each one's routers would read the other's changes and subscriptions");
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

    /**
     * The tables each service's rules name exist: created by its source's init scripts (PostgreSQL
     * with replica identity full, MariaDB and MySQL), in its source's database (MongoDB).
     */
    private void checkSchema(
            Map<String, Map<String, Object>> services, Map<String, Config> configs, Map<String, String> rulesFolders)
            throws Exception {
        Pattern table = Pattern.compile("(?m)^table:\\s*(\\S+)");
        Pattern sourceLine = Pattern.compile("(?m)^source:\\s*(\\S+)");
        Set<String> reported = new java.util.HashSet<>();
        for (var entry : rulesFolders.entrySet()) {
            String name = entry.getKey();
            Config config = configs.get(name);
            String folder = entry.getValue();
            try (var files = Files.list(root.resolve(folder))) {
                for (Path f : files.filter(p ->
                                p.toString().endsWith(".yaml") && !p.toString().endsWith(".test.yaml"))
                        .sorted()
                        .toList()) {
                    String text = Files.readString(f);
                    Matcher sm = sourceLine.matcher(text);
                    String source = sm.find() ? sm.group(1) : config.defaultSource();
                    SourceConfig s = config.sources().get(source);
                    String file = folder + "/" + f.getFileName();
                    if (s == null) {
                        problems.add(name + ": " + file + " names source " + source + ", which " + name
                                + " does not configure");
                        continue;
                    }
                    Matcher m = table.matcher(text);
                    while (m.find()) {
                        String t = m.group(1).toLowerCase(java.util.Locale.ROOT);
                        String problem = tableProblem(file, t, s, services);
                        if (problem != null && reported.add(problem)) {
                            problems.add(problem);
                        }
                    }
                }
            }
        }
    }

    private String tableProblem(String file, String table, SourceConfig s, Map<String, Map<String, Object>> services) {
        Map<String, Object> db = services.get(hosts(s).get(0));
        if (db == null) {
            return null; // reported with the source
        }
        if (s.kind() == SourceKind.MONGODB) {
            return table.startsWith(s.database().toLowerCase(java.util.Locale.ROOT) + ".")
                    ? null
                    : file + " covers " + table + ", outside source " + s.name() + "'s database " + s.database();
        }
        String sql = initSql(db).replaceAll("\\s+", " ");
        String unqualified = table.substring(table.indexOf('.') + 1);
        boolean created = sql.contains("create table " + table + " ")
                || sql.contains("create table " + table + "(")
                || (s.kind() != SourceKind.POSTGRES
                        && table.equals(s.database().toLowerCase(java.util.Locale.ROOT) + "." + unqualified)
                        && (sql.contains("create table " + unqualified + " ")
                                || sql.contains("create table " + unqualified + "(")));
        if (!created) {
            return file + " covers " + table
                    + ", which no script in the database's /docker-entrypoint-initdb.d creates";
        }
        if (s.kind() == SourceKind.POSTGRES && !sql.contains("alter table " + table + " replica identity full")) {
            return table + " needs replica identity full (rules judge a removal on the old row)";
        }
        return null;
    }

    /** Every mounted rules folder loads, and its *.test.yaml cases pass, as `undercurrent rules test` runs them. */
    private void checkRuleFiles(Map<String, Config> configs, Map<String, String> rulesFolders) {
        Set<String> done = new java.util.HashSet<>();
        rulesFolders.forEach((name, folder) -> {
            String defaultSource = configs.get(name).defaultSource();
            if (!done.add(folder + " " + defaultSource)) {
                return;
            }
            var out = new java.io.ByteArrayOutputStream();
            int code;
            try (var print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
                code = RulesTool.validate(root.resolve(folder), defaultSource, print);
                if (code == RulesTool.OK) {
                    code = RulesTool.test(root.resolve(folder), defaultSource, print);
                }
            }
            if (code != RulesTool.OK) {
                problems.add(name + ": its rules folder " + folder + " fails `undercurrent rules test`:\n"
                        + out.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
    }

    // --- profiles ---

    /** A service's compose profiles; empty for the base deployment, which always runs. */
    private static List<String> profiles(Map<String, Object> service) {
        return service.get("profiles") == null ? List.of() : strings(service.get("profiles"));
    }

    /** Which deployment a service belongs to, for messages: the base or its profiles. */
    private static String deployment(Map<String, Object> service) {
        List<String> profiles = profiles(service);
        return profiles.isEmpty() ? "the base deployment" : "profile " + String.join(",", profiles);
    }

    /** Whether target runs whenever service does: it is in the base, or shares one of its profiles. */
    private static boolean reachable(Map<String, Object> service, Map<String, Object> target) {
        List<String> theirs = profiles(target);
        return theirs.isEmpty() || profiles(service).stream().anyMatch(theirs::contains);
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
