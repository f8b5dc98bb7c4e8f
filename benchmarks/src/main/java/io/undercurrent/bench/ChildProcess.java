package io.undercurrent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program the benchmark starts (the server, the naive peer): its output goes to a log file and is
 * watched for the lines that say it is ready. Stopped with SIGTERM, then killed if it lingers.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Map<String, String> found = new ConcurrentHashMap<>();
    private final CountDownLatch allFound;
    private final Path log;

    private ChildProcess(String name, Process process, Map<String, Pattern> wanted, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.allFound = new CountDownLatch(wanted.size());
        Thread pump = new Thread(() -> pump(wanted), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code command}; its output goes to {@code log}. Each pattern of {@code wanted} is
     * looked for in the output; its first group becomes {@link #found}'s value.
     */
    static ChildProcess start(
            String name,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            Path log,
            Map<String, Pattern> wanted)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        return new ChildProcess(name, builder.start(), wanted, log);
    }

    private void pump(Map<String, Pattern> wanted) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = out.readLine()) != null) {
                file.println(line);
                for (Map.Entry<String, Pattern> w : wanted.entrySet()) {
                    Matcher m = w.getValue().matcher(line);
                    if (!found.containsKey(w.getKey()) && m.find()) {
                        found.put(w.getKey(), m.group(1));
                        allFound.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Waits until every wanted line appeared; fails naming the log when the process died or took too long. */
    void awaitReady(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!allFound.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + seconds + " s; see " + log);
            }
        }
    }

    String found(String key) {
        return found.get(key);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println(name + " did not stop within 30 s of SIGTERM; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
