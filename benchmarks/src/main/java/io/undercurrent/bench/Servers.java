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

/** Starts the two systems under test: the packaged server (embedded default) and the naive peer. */
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
        Path data = Files.createTempDirectory(work, "data-");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UNDERCURRENT_EMBEDDED_DATA_DIR", data.toString());
        env.put("UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0");
        env.put("UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0");
        env.put("UNDERCURRENT_HTTP_PORT", "0");
        env.put("UNDERCURRENT_RULES_DIR", root.resolve("rules").toString());
        env.putAll(settings);
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
        Map<String, Pattern> wanted = Map.of(
                "ws", Pattern.compile("live queries:\\s+(ws://\\S+)"),
                "db", Pattern.compile("database:\\s+psql (postgresql://\\S+)"),
                "started", Pattern.compile("started in (\\d+) ms"));
        System.out.println(
                "starting the server: " + String.join(" ", command) + (settings.isEmpty() ? "" : " with " + settings));
        return ChildProcess.start("undercurrent", command, env, root, work.resolve("undercurrent.log"), wanted);
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
