package io.undercurrent.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Java main class running in a separate JVM with this JVM's classpath, for crash tests: the
 * one thing a test cannot do to code in its own JVM is {@code kill -9} it.
 *
 * <p>Standard output and error are merged, copied line by line to a file or to this JVM's
 * standard output with a {@code [name] } prefix, and kept (the last
 * 10,000 lines or more) for {@link #awaitOutputLine}.
 *
 * <pre>{@code
 * try (ChildJvm ingest = ChildJvm.start(ChildJvm.Options.of(IngestMain.class).withArgs("--config", cfg))) {
 *     ingest.awaitOutputLine(Pattern.compile("ingest started"), Duration.ofSeconds(30));
 *     ingest.killHard();
 * }
 * }</pre>
 *
 * <p>Who calls it: integration tests. Threading: safe from any thread.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final OutputPump output;

    private ChildJvm(String name, Process process, OutputPump output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts the JVM and returns at once, without waiting for the main class to do anything;
     * use {@link #awaitOutputLine} for that.
     *
     * @throws EmbeddedException if the {@code java} executable cannot be started or the output
     *     file cannot be opened
     */
    public static ChildJvm start(Options options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmArgs());
        command.add("-cp");
        command.add(options.classpath());
        command.add(options.mainClass());
        command.addAll(options.args());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(options.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EmbeddedException(
                    "Child JVM " + options.name() + ": cannot start " + command.get(0) + ": " + e, e);
        }
        OutputPump pump;
        try {
            pump = OutputPump.start(options.name(), process.getInputStream(), options.outputFile());
        } catch (IOException e) {
            process.destroyForcibly();
            throw new EmbeddedException(
                    "Child JVM " + options.name() + ": cannot open output file " + options.outputFile() + ": " + e, e);
        }
        return new ChildJvm(options.name(), process, pump);
    }

    /**
     * Waits until the process has printed a line that {@code pattern} finds (searching from its
     * first kept line, so a line printed before this call counts) and returns that line.
     *
     * @throws EmbeddedException if no such line appears within {@code timeout}, or the process
     *     exits first; the message holds the last lines of output
     */
    public String awaitOutputLine(Pattern pattern, Duration timeout) {
        Optional<String> line = output.await(pattern, timeout);
        if (line.isPresent()) {
            return line.get();
        }
        if (output.hasEnded()) {
            // The output ends a moment before the process is reaped; give it that moment so the
            // message can say how it exited.
            try {
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new EmbeddedException("Child JVM " + name + " "
                + (process.isAlive()
                        ? "printed no line matching /" + pattern + "/ within " + timeout
                        : "exited with code " + process.exitValue() + " before printing a line matching /" + pattern
                                + "/")
                + ". Last lines:\n" + String.join("\n", output.tail(20)));
    }

    /**
     * Kills the process with SIGKILL, as a crash would: no shutdown hooks, no flushing. Returns
     * once it is gone (at most a few seconds).
     */
    public void killHard() {
        // Signal through the handle: Process.destroyForcibly() would also close our end of the
        // output pipe and lose what the child printed last.
        process.toHandle().destroyForcibly();
        awaitExit(KILL_WAIT, "SIGKILL");
        output.awaitEnd(KILL_WAIT);
    }

    /**
     * Asks the process to stop with SIGTERM (shutdown hooks run), waits up to {@code timeout},
     * then kills it with SIGKILL.
     *
     * @return the exit code; 143 means it ended by the SIGTERM itself
     */
    public int stop(Duration timeout) {
        // Through the handle, so the output of shutdown hooks still reaches us (see killHard).
        process.toHandle().destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killHard();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killHard();
        }
        output.awaitEnd(KILL_WAIT);
        return process.exitValue();
    }

    /** {@link #stop(Duration)} with a 30 s grace period. */
    public int stop() {
        return stop(Duration.ofSeconds(30));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Empty while running; 137 after {@link #killHard()} on Linux (128 + SIGKILL). */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * A copy of the kept output lines, oldest first. Complete after {@link #killHard()} or
     * {@link #stop()} (unless the child left a process behind that still holds its output).
     */
    public List<String> output() {
        return output.lines();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }

    private void awaitExit(Duration timeout, String signal) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EmbeddedException("Child JVM " + name + " (pid " + process.pid() + ") still runs " + timeout
                        + " after " + signal);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("Interrupted while waiting for child JVM " + name + " to exit", e);
        }
    }

    /**
     * Immutable options of a {@link ChildJvm}. Start from {@link #of(Class)} or
     * {@link #of(String)} and derive variants with the {@code with...} methods.
     */
    public static final class Options {

        private final String mainClass;
        private final List<String> args;
        private final List<String> jvmArgs;
        private final Map<String, String> environment;
        private final String classpath;
        private final String name;
        private final Path outputFile;

        private Options(
                String mainClass,
                List<String> args,
                List<String> jvmArgs,
                Map<String, String> environment,
                String classpath,
                String name,
                Path outputFile) {
            this.mainClass = mainClass;
            this.args = args;
            this.jvmArgs = jvmArgs;
            this.environment = environment;
            this.classpath = classpath;
            this.name = name;
            this.outputFile = outputFile;
        }

        /**
         * Runs {@code mainClass} with no arguments, no extra JVM flags, this JVM's environment
         * and classpath ({@code java.class.path}), output to this JVM's standard output
         * prefixed with the class's simple name.
         */
        public static Options of(Class<?> mainClass) {
            return of(mainClass.getName()).withName(mainClass.getSimpleName());
        }

        /** As {@link #of(Class)}, by fully qualified class name. */
        public static Options of(String mainClass) {
            Objects.requireNonNull(mainClass, "mainClass");
            return new Options(
                    mainClass,
                    List.of(),
                    List.of(),
                    Map.of(),
                    System.getProperty("java.class.path"),
                    mainClass.substring(mainClass.lastIndexOf('.') + 1),
                    null);
        }

        /** Program arguments, replacing earlier ones. */
        public Options withArgs(String... args) {
            return new Options(mainClass, List.of(args), jvmArgs, environment, classpath, name, outputFile);
        }

        /** JVM flags such as {@code -Xmx256m} or {@code -Dkey=value}, replacing earlier ones. */
        public Options withJvmArgs(String... jvmArgs) {
            return new Options(mainClass, args, List.of(jvmArgs), environment, classpath, name, outputFile);
        }

        /** Adds or replaces one environment variable on top of this JVM's environment. */
        public Options withEnvironment(String key, String value) {
            Map<String, String> copy = new LinkedHashMap<>(environment);
            copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Options(
                    mainClass, args, jvmArgs, Collections.unmodifiableMap(copy), classpath, name, outputFile);
        }

        /** Replaces the classpath (default: this JVM's {@code java.class.path}). */
        public Options withClasspath(String classpath) {
            return new Options(
                    mainClass,
                    args,
                    jvmArgs,
                    environment,
                    Objects.requireNonNull(classpath, "classpath"),
                    name,
                    outputFile);
        }

        /** The name used in messages and as the output prefix. */
        public Options withName(String name) {
            return new Options(
                    mainClass, args, jvmArgs, environment, classpath, Objects.requireNonNull(name, "name"), outputFile);
        }

        /** Appends output to this file instead of this JVM's standard output; null restores that. */
        public Options withOutputFile(Path outputFile) {
            return new Options(mainClass, args, jvmArgs, environment, classpath, name, outputFile);
        }

        public String mainClass() {
            return mainClass;
        }

        public List<String> args() {
            return args;
        }

        public List<String> jvmArgs() {
            return jvmArgs;
        }

        public Map<String, String> environment() {
            return environment;
        }

        public String classpath() {
            return classpath;
        }

        public String name() {
            return name;
        }

        /** Null means this JVM's standard output. */
        public Path outputFile() {
            return outputFile;
        }
    }
}
