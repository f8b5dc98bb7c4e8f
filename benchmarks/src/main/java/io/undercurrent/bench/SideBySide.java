package io.undercurrent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The side-by-side load generator: Undercurrent (the packaged server, embedded default) against a
 * naive peer (a trigger calling {@code pg_notify} and a Node {@code ws} server filtering per client)
 * on the same commits of the same database, measured by the same cheap clients. Prints each side's
 * commit → client latency (p50/p90/p99/max), deliveries/s and the ratio; where each change spent its
 * time inside Undercurrent (from its flight-recorder stage events); optionally the top of a CPU
 * profile; and writes an SVG percentile plot. With {@code --source mariadb} the rows go to a MariaDB
 * source instead, and Undercurrent's figures stand alone. See {@link BenchOptions#USAGE} and
 * benchmarks/README.md.
 */
public final class SideBySide {

    private SideBySide() {}

    public static void main(String[] args) throws Exception {
        Path root = projectRoot();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path run = options.out()
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                        + options.mode());
        Files.createDirectories(run);
        PrintStream report = tee(run.resolve("report.txt"));
        int status = 0;
        try {
            run(root, options, run, report);
        } catch (Exception e) {
            report.println("failed: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        } finally {
            report.flush();
        }
        System.exit(status);
    }

    private static void run(Path root, BenchOptions o, Path run, PrintStream report) throws Exception {
        report.printf(
                "%s, %d cores, %s; results in %s%n",
                LocalDateTime.now().withNano(0),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                run);
        if (o.source().equals("mariadb")) {
            runMariaDb(root, o, run, report);
            return;
        }
        long begin = System.nanoTime();
        ChildProcess server = o.server() == null
                ? Servers.startUndercurrent(
                        root,
                        o.launcher(),
                        o.jvmOptions(),
                        o.settings(),
                        FlightRecording.jvmOption(o.profile(), run),
                        run)
                : null;
        try {
            URI live;
            LoadWriter.Database db;
            long pid;
            if (server != null) {
                server.awaitReady(180);
                report.printf(
                        "start-up: banner after %d ms (server's own count %s ms), embedded PostgreSQL + Kafka + all roles, "
                                + "fresh data dir%n",
                        (System.nanoTime() - begin) / 1_000_000, server.found("started"));
                live = URI.create(server.found("ws"));
                db = LoadWriter.Database.fromUrl(server.found("db"));
                pid = server.pid();
            } else {
                live = URI.create(o.server());
                db = LoadWriter.Database.fromUrl(o.db());
                pid = o.serverPid();
            }
            ChildProcess peer = o.peer() ? Servers.startPeer(root, db, run) : null;
            try {
                URI naive = null;
                if (peer != null) {
                    peer.awaitReady(60);
                    naive = URI.create("ws://127.0.0.1:" + peer.found("port") + "/");
                }
                FlightRecording recording = server != null
                        ? FlightRecording.of(pid)
                        : pid != 0 ? FlightRecording.start(pid, o.profile(), run) : null;
                measure(new Scenario(o, live, live, "public.todos", naive, db, recording, run, report), o);
            } finally {
                if (peer != null) {
                    peer.close();
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * A MariaDB source: MariaDB, then the embedded infrastructure (Kafka, the development secret), then
     * the measured server, every role, serving the MariaDB source alone. No naive peer: it is PostgreSQL
     * NOTIFY only.
     */
    private static void runMariaDb(Path root, BenchOptions o, Path run, PrintStream report) throws Exception {
        long begin = System.nanoTime();
        try (MariaDbSource db = MariaDbSource.start(root, run);
                ChildProcess infra = Servers.startInfrastructure(root, o.launcher(), run)) {
            infra.awaitReady(180);
            try (ChildProcess server = Servers.startJoining(
                    root,
                    o.launcher(),
                    o.jvmOptions(),
                    infra,
                    db.environment(),
                    db.rules(),
                    o.settings(),
                    FlightRecording.jvmOption(o.profile(), run),
                    run)) {
                server.awaitReady(180);
                report.printf(
                        "start-up: banner after %d ms (server's own count %s ms): MariaDB 11.4 (binlog ROW, FULL row "
                                + "images), the embedded infrastructure (Kafka, an idle edge) in a process of its own, the "
                                + "measured server (all roles) serving source %s alone; no naive peer (it is PostgreSQL "
                                + "NOTIFY only), so Undercurrent's figures stand alone%n",
                        (System.nanoTime() - begin) / 1_000_000, server.found("started"), MariaDbSource.NAME);
                measure(
                        new Scenario(
                                o,
                                URI.create(server.found("ws")),
                                URI.create(infra.found("ws")),
                                MariaDbSource.TABLE,
                                null,
                                db.writerDatabase(),
                                FlightRecording.of(server.pid()),
                                run,
                                report),
                        o);
            }
        }
    }

    private static void measure(Scenario scenario, BenchOptions o) throws Exception {
        if (o.mode().equals("bulk")) {
            scenario.bulk();
        } else {
            scenario.steady();
        }
    }

    /** The folder holding rules/ and benchmarks/: the working directory or one of its parents. */
    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("benchmarks/naive-peer")) && Files.isDirectory(p.resolve("rules"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "run from the Undercurrent project folder (no benchmarks/naive-peer above " + dir + ")");
    }

    /** Standard output, also written to {@code file}. */
    private static PrintStream tee(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        PrintStream console = System.out;
        return new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        console.write(b);
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        console.write(b, off, len);
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() throws IOException {
                        console.flush();
                        out.flush();
                    }
                },
                true,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
