package io.undercurrent.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a PostgreSQL server that an earlier, killed process left running on a data directory.
 *
 * <p>PostgreSQL runs as its own daemon, so it outlives a JVM killed with SIGKILL (crash tests do
 * exactly that to the server). Without this, the next start on the same persistent data dir
 * fails because the old server still holds the directory and the port.
 */
final class StalePostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {}

    /**
     * Stops the postmaster named in {@code dataDir/postmaster.pid} if it is still alive, first
     * with a fast shutdown, after {@code timeout} with SIGKILL (the next start then recovers
     * from the write-ahead log). A pid file whose process is gone
     * is left for PostgreSQL, which discards it itself.
     */
    static void stopIfRunning(Path dataDir, Duration timeout) {
        Optional<ProcessHandle> postmaster = postmaster(dataDir);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warn("Stopping PostgreSQL (pid {}) on data dir {} with a signal", process.pid(), dataDir);
        // SIGINT is PostgreSQL's fast shutdown: sessions are ended, a checkpoint written. Not
        // pg_ctl: the bundled server may run in its own user namespace (as it does when started
        // by root), where pg_ctl from outside would refuse to act.
        if (!signal(process, "INT")) {
            process.destroy(); // SIGTERM, a smart shutdown: waits for sessions to end
        }
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", process.pid(), timeout);
            process.destroyForcibly();
            awaitExit(process, timeout, dataDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("Interrupted while stopping a stale PostgreSQL server on " + dataDir, e);
        } catch (ExecutionException e) {
            throw new EmbeddedException(
                    "PostgreSQL: could not stop the server (pid " + process.pid() + ") left running on data dir "
                            + dataDir + "; stop it by hand",
                    e);
        }
    }

    /** True when a postmaster named in the data dir's pid file is alive. */
    static boolean isRunning(Path dataDir) {
        return postmaster(dataDir).isPresent();
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        return readPid(dataDir.resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                // The pid may have been reused by an unrelated process since.
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    /** Sends {@code signal} with the system's {@code kill}; false if that did not work. */
    private static boolean signal(ProcessHandle process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitExit(ProcessHandle process, Duration timeout, Path dataDir) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("Interrupted while stopping a stale PostgreSQL server on " + dataDir, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedException(
                    "PostgreSQL: the server (pid " + process.pid() + ") left running on data dir " + dataDir
                            + " did not exit even after SIGKILL; stop it by hand",
                    e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            // No pid file (the usual case) or a torn one: nothing we can act on.
            return Optional.empty();
        }
    }
}
