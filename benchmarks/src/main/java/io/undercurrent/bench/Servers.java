package io.undercurrent.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the systems under test: the packaged server (the embedded default, or a server of a MariaDB source
 * joined to the embedded default's infrastructure) and the naive peer.
 */
final class Servers {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private Servers() {}

    /**
     * The embedded default from the launcher script (or the jar), fresh data directory, free ports.
     * The launcher's JVM options apply unless {@code jvmOptions} replaces them.
     */
    static ChildProcess startUndercurrent(
            Path root, Path launcher, String jvmOptions, Map<String, String> settings, String recording, Path work)
            throws IOException {
        return start(
                "undercurrent", root, launcher, jvmOptions, embedded(root, work, settings), recording, work, Map.of());
    }

    /**
     * The embedded default's infrastructure for another server to join: Kafka, the development secret
     * and {@code /dev/token}, with an idle edge over the demo database (a process runs at least one role).
     */
    static ChildProcess startInfrastructure(Path root, Path launcher, Path work) throws IOException {
        return start(
                "infrastructure",
                root,
                launcher,
                null,
                embedded(root, work, Map.of("UNDERCURRENT_ROLE", "edge")),
                "",
                work,
                Map.of(
                        "kafka", Pattern.compile("^\\s+kafka:\\s+(\\S+)$"),
                        "secret", Pattern.compile("^\\s+dev JWT secret[^:]*:\\s+(\\S+)$")));
    }

    /**
     * Every role, serving only the sources {@code sources} declares ({@code UNDERCURRENT_SOURCES_<NAME>_*})
     * with the rules of {@code rules}, on the Kafka and development secret of {@code infra}, as a team
     * would run it against its own database. Its tokens come from {@code infra}'s {@code /dev/token}.
     */
    static ChildProcess startJoining(
            Path root,
            Path launcher,
            String jvmOptions,
            ChildProcess infra,
            Map<String, String> sources,
            Path rules,
            Map<String, String> settings,
            String recording,
            Path work)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_ENABLED", "false");
        env.put("UNDERCURRENT_KAFKA_BOOTSTRAP_SERVERS", infra.found("kafka"));
        env.put("UNDERCURRENT_JWT_SECRET", infra.found("secret"));
        env.put("UNDERCURRENT_HTTP_HOST", "127.0.0.1");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_RULES_DIR", rules.toString());
        env.putAll(sources);
        env.putAll(settings);
        return start("undercurrent", root, launcher, jvmOptions, env, recording, work, Map.of());
    }

    /** The environment of the embedded default: fresh data directory, free ports, the project's rules. */
    private static Map<String, String> embedded(Path root, Path work, Map<String, String> settings) throws IOException {
        Path data = Files.createTempDirectory(work, "data-");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_DATA_DIR", data.toString());
        env.put("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0");
        env.put("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_RULES_DIR", root.resolve("rules").toString());
        env.putAll(settings);
        return env;
    }

    private static ChildProcess start(
            String name,
            Path root,
            Path launcher,
            String jvmOptions,
            Map<String, String> settings,
            String recording,
            Path work,
            Map<String, Pattern> alsoWanted)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(settings);
        // Read by the java launcher itself, so the recording starts with the server whichever way it is launched.
        env.put("JDK_JAVA_OPTIONS", recording);
        List<String> command = new ArrayList<>();
        if (launcher.toString().endsWith(".jar") || !Files.isExecutable(launcher)) {
            Path jar = launcher.toString().endsWith(".jar") ? launcher : root.resolve("server/target/undercurrent.jar");
            command.add(FlightRecording.jdkTool("java"));
            if (jvmOptions != null && !jvmOptions.isBlank()) {
                command.addAll(List.of(jvmOptions.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.add(launcher.toString());
            if (jvmOptions != null) {
                env.put("JAVA_OPTS", jvmOptions);
            }
        }
        Map<String, Pattern> wanted = new LinkedHashMap<>();
        wanted.put("ws", Pattern.compile("live queries:\\s+(ws://\\S+)"));
        wanted.put("started", Pattern.compile("started in (\\d+) ms"));
        if (!"false".equals(env.get("UNDERCURRENT_EMBEDDED_ENABLED"))) {
            wanted.put("db", Pattern.compile("database:\\s+psql (postgresql://\\S+)"));
        }
        wanted.putAll(alsoWanted);
        System.out.println("starting " + name + ": " + String.join(" ", command) + " with " + shown(env));
        return ChildProcess.start(name, command, env, root, work.resolve(name + ".log"), wanted);
    }

    /** The settings given to a server, its secret left out. */
    private static Map<String, String> shown(Map<String, String> env) {
        Map<String, String> shown = new LinkedHashMap<>(env);
        shown.replaceAll((k, v) -> k.contains("SECRET") || k.contains("PASSWORD") ? "***" : v);
        shown.remove("JDK_JAVA_OPTIONS");
        return shown;
    }

    /** The naive peer on the same database; it installs its trigger on start and drops it on stop. */
    static ChildProcess startPeer(Path root, LoadWriter.Database db, Path work) throws IOException {
        Path peer = root.resolve("benchmarks/naive-peer");
        if (!Files.isDirectory(peer.resolve("node_modules"))) {
            throw new IllegalStateException(
                    "the naive peer's packages are missing: run (cd benchmarks/naive-peer && npm ci)");
        }
        List<String> command = List.of("node", peer.resolve("server.js").toString(), "--db", db.url(), "--port", "0");
        return ChildProcess.start(
                "naive-peer",
                command,
                Map.of(),
                root,
                work.resolve("naive-peer.log"),
                Map.of("port", Pattern.compile("naive-peer listening on (\\d+)")));
    }

    /** A development token from the embedded default's {@code /dev/token}. */
    static String devToken(HttpClient http, URI live, String sub, String role)
            throws IOException, InterruptedException {
        URI uri = URI.create(
                "http://" + live.getHost() + ":" + live.getPort() + "/dev/token?sub=" + sub + "&role=" + role);
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("no development token from " + uri + " (" + response.statusCode()
                    + "): the benchmark needs " + "the embedded default, which mints tokens");
        }
        return m.group(1);
    }
}
