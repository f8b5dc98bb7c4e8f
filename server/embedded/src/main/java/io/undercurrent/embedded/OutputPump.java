package io.undercurrent.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Copies a child process's output line by line to a sink and keeps a bounded history that
 * callers can wait on. The copying thread is a daemon and ends when the stream does.
 */
final class OutputPump {

    /**
     * At least this many of the latest lines are kept for {@link #await}; older ones are dropped
     * (in batches, so adding stays cheap) so that a chatty child cannot grow this JVM unbounded.
     */
    static final int MAX_LINES = 10_000;

    private final List<String> lines = new ArrayList<>();
    /** How many lines were dropped from the front: the sequence number of {@code lines.get(0)}. */
    private long dropped;

    private boolean ended;

    private OutputPump() {}

    /**
     * @param outputFile null for this JVM's standard output, prefixed with {@code [name] }
     */
    static OutputPump start(String name, InputStream stream, Path outputFile) throws IOException {
        OutputPump pump = new OutputPump();
        Writer file = outputFile == null
                ? null
                : Files.newBufferedWriter(
                        outputFile, Charset.defaultCharset(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        PrintStream stdout = System.out;
        Thread thread = new Thread(
                () -> pump.copy(
                        stream,
                        line -> {
                            if (file != null) {
                                file.write(line);
                                file.write(System.lineSeparator());
                                file.flush();
                            } else {
                                stdout.println("[" + name + "] " + line);
                            }
                        },
                        file),
                "child-jvm-output-" + name);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    private interface LineSink {
        void accept(String line) throws IOException;
    }

    private void copy(InputStream stream, LineSink sink, Writer file) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, Charset.defaultCharset()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                add(line);
                sink.accept(line);
            }
        } catch (IOException e) {
            // The stream closes under us when the process is killed; what was read is kept.
        } finally {
            closeQuietly(file);
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        if (lines.size() > 2 * MAX_LINES) {
            int excess = lines.size() - MAX_LINES;
            lines.subList(0, excess).clear();
            dropped += excess;
        }
        notifyAll();
    }

    /** The first kept line that {@code pattern} finds, waiting up to {@code timeout}; empty if none. */
    synchronized Optional<String> await(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long next = 0; // sequence number of the first line not yet looked at
        while (true) {
            long end = dropped + lines.size();
            for (long seq = Math.max(next, dropped); seq < end; seq++) {
                String line = lines.get((int) (seq - dropped));
                if (pattern.matcher(line).find()) {
                    return Optional.of(line);
                }
            }
            next = end;
            long leftNanos = deadline - System.nanoTime();
            if (ended || leftNanos <= 0) {
                return Optional.empty();
            }
            try {
                wait(Math.max(1, leftNanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** True once the stream has ended (the process exited, or closed its output). */
    synchronized boolean hasEnded() {
        return ended;
    }

    /** Waits up to {@code timeout} for the stream to end, so that every line has been read. */
    synchronized void awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long leftNanos;
        while (!ended && (leftNanos = deadline - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, leftNanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last {@code count} kept lines, oldest first. */
    synchronized List<String> tail(int count) {
        List<String> all = new ArrayList<>(lines);
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    private static void closeQuietly(Writer writer) {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            // Nothing left to write to; the lines are still in the history.
        }
    }
}
