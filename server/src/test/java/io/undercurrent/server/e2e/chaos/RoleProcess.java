package io.undercurrent.server.e2e.chaos;

import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.cli.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server process ({@code undercurrent run --role R}, the packaged jar) in its own JVM, so that a
 * test can SIGKILL it and start it again with the same configuration. Its output goes to a log file.
 * Threading: one test thread drives it; {@link #liveUrl()} and {@link #healthUrl()} may be read from any.
 */
final class RoleProcess implements AutoCloseable {

    private static final Pattern RUNNING = Pattern.compile(".*Undercurrent is running.*");
    private static final Pattern LIVE = Pattern.compile(".*live queries:\\s+(ws://\\S+).*");
    private static final Pattern HEALTH = Pattern.compile(".*health:\\s+(http://\\S+).*");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final String role;
    private final Map<String, String> environment;
    private final Path log;
    private final Path jar;
    private volatile ChildJvm jvm;
    private volatile String liveUrl;
    private volatile String healthUrl;
    private int starts;

    RoleProcess(String name, String role, Map<String, String> environment, Path logDir, Path jar) {
        this.name = name;
        this.role = role;
        this.environment = Map.copyOf(environment);
        this.log = logDir.resolve(name + ".log");
        this.jar = jar;
    }

    String name() {
        return name;
    }

    /** Launches the JVM and returns at once; {@link #awaitRunning()} waits for its banner. */
    void launch() {
        ChildJvm.Options options = ChildJvm.Options.of(Main.class)
                .withClasspath(jar.toString())
                .withArgs("run", "--role", role)
                .withName(name + "#" + (++starts))
                .withOutputFile(log)
                // small and quick to start: the machine runs several of these beside the database and Kafka
                .withJvmArgs("-Xmx320m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        for (Map.Entry<String, String> e : environment.entrySet()) {
            options = options.withEnvironment(e.getKey(), e.getValue());
        }
        liveUrl = null;
        healthUrl = null;
        jvm = ChildJvm.start(options);
    }

    /** Waits for the banner, which the server prints once every part of its role has started. */
    void awaitRunning() {
        jvm.awaitOutputLine(RUNNING, START_TIMEOUT);
        healthUrl = group(HEALTH, jvm.awaitOutputLine(HEALTH, Duration.ofSeconds(5)));
        if (!role.equals("ingest") && !role.equals("router")) {
            liveUrl = group(LIVE, jvm.awaitOutputLine(LIVE, Duration.ofSeconds(5)));
        }
    }

    void start() {
        launch();
        awaitRunning();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or said goodbye to. */
    void kill() {
        liveUrl = null;
        healthUrl = null;
        jvm.killHard();
    }

    boolean running() {
        ChildJvm j = jvm;
        return j != null && j.isAlive() && healthUrl != null;
    }

    /** The WebSocket URL of a running edge, or null while it is down (or for roles without an edge). */
    String liveUrl() {
        return liveUrl;
    }

    /** {@code /health} of the running process, or null while it is down. */
    String healthUrl() {
        return healthUrl;
    }

    Path log() {
        return log;
    }

    private static String group(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected banner line: " + line);
        }
        return m.group(1);
    }

    /** Stops the process with SIGTERM (SIGKILL after 30 s). */
    @Override
    public void close() {
        ChildJvm j = jvm;
        if (j != null && j.isAlive()) {
            j.stop(Duration.ofSeconds(30));
        }
    }
}
