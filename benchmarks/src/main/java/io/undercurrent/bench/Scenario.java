package io.undercurrent.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * One run against both systems (or Undercurrent alone): connect the clients, write, wait for every
 * delivery, report. {@code live} serves the clients; {@code tokens} mints their development tokens
 * (the same server, or the embedded infrastructure it joined); they subscribe to {@code table}.
 */
final class Scenario {

    private final BenchOptions o;
    private final URI live;
    private final URI tokens;
    private final String table;
    private final URI naive;
    private final LoadWriter writer;
    private final FlightRecording recording;
    private final Path run;
    private final PrintStream report;
    private final boolean fanout;

    Scenario(
            BenchOptions o,
            URI live,
            URI tokens,
            String table,
            URI naive,
            LoadWriter.Database db,
            FlightRecording recording,
            Path run,
            PrintStream report) {
        this.o = o;
        this.live = live;
        this.tokens = tokens;
        this.table = table;
        this.naive = naive;
        this.writer = new LoadWriter(db);
        this.recording = recording;
        this.run = run;
        this.report = report;
        this.fanout = o.mode().equals("fanout");
    }

    /** Latency and fan-out: single-row transactions at a steady rate. */
    void steady() throws Exception {
        int warmRows = o.warmup() * o.rate();
        int rows = o.seconds() * o.rate();
        ProbeLog probes = new ProbeLog(warmRows + rows);
        IntFunction<String> owner = fanout ? seq -> "fan" : seq -> "c" + (seq % o.clients());
        List<Side> sides = connect(probes, o.clients(), i -> fanout ? "fan" : "c" + i);
        ScheduledExecutorService keepAlive = keepAlive(sides.get(0));
        try {
            if (warmRows > 0) {
                LoadWriter.Pace pace =
                        writer.paced(0, warmRows, o.rate(), seq -> false, 'w', owner, probes, o.writers());
                report.printf(Locale.ROOT, "warm-up: %d rows at %.0f/s%n", pace.rows(), pace.rate());
            }
            StageReport.WallClock clock = StageReport.WallClock.now();
            ServerCount serverCount = new ServerCount(live);
            long countedBefore = serverCount.read();
            long start = System.nanoTime();
            java.time.Instant from = java.time.Instant.now();
            sides.forEach(s -> s.startMeasuring(start));
            LoadWriter.Pace pace = writer.paced(
                    warmRows, rows, o.rate(), seq -> seq % o.probeEvery() == 0, 'x', owner, probes, o.writers());
            long countedWritten = serverCount.read();
            long written = System.nanoTime();
            long timed = (rows + o.probeEvery() - 1) / o.probeEvery();
            long expected = fanout ? timed * o.clients() : timed;
            awaitDeliveries(sides, expected, 60);
            long countedLast = serverCount.read();
            Path jfr = recording == null ? null : recording.stop(run.resolve("server.jfr"));
            report.println();
            report.printf(
                    Locale.ROOT,
                    "%s: %d inserts at %d/s (achieved %.0f/s, %d late by >10 ms, worst %.1f ms), %d clients per side%s, "
                            + "%d writer connection(s), after %d s warm-up%n",
                    o.mode(),
                    rows,
                    o.rate(),
                    pace.rate(),
                    pace.lateRows(),
                    pace.maxLagMicros() / 1000.0,
                    o.clients(),
                    fanout ? " each reading every row" : " each reading its own rows",
                    o.writers(),
                    o.warmup());
            Map<String, Histogram> latencies = new LinkedHashMap<>();
            Map<String, Histogram> fromReturn = new LinkedHashMap<>();
            for (Side s : sides) {
                latencies.put(s.name(), s.latency());
                fromReturn.put(s.name(), s.latencyFromReturn());
            }
            report.println(
                    "commit issued → client (from the writer sending its autocommit insert; the commit's own time counts on both sides):");
            printLatencies(sides, latencies, expected, start);
            printServerCount(sides.get(0), countedBefore, countedWritten, countedLast, start, written);
            report.println(
                    "commit returned → client (from the writer seeing its commit return; a row that was faster counts as 0):");
            printLatencies(sides, fromReturn, expected, start);
            printWindows(sides);
            if (jfr != null) {
                StageReport.read(
                                jfr,
                                clock,
                                txToSeq(probes, warmRows, rows),
                                probes,
                                sides.get(0).firstReceived())
                        .print(report);
                ProfileSummary profile = ProfileSummary.read(jfr, from, java.time.Instant.now());
                profile.printGc(report);
                if (o.profile()) {
                    profile.print(report, 30);
                }
                report.println("flight recording: " + jfr);
            }
            Path plot = run.resolve("latency.svg");
            PercentilePlot.write(
                    plot,
                    String.format(
                            Locale.ROOT,
                            "commit issued → client, %s: %d/s, %d clients",
                            o.mode(),
                            o.rate(),
                            o.clients()),
                    latencies);
            report.println("plot: " + plot);
        } finally {
            keepAlive.shutdownNow();
            sides.forEach(Side::close);
        }
    }

    /** Bulk: one transaction of many rows, to each client. */
    void bulk() throws Exception {
        ProbeLog probes = new ProbeLog(Math.max(1, o.warmup() * o.rate()));
        List<Side> sides = connect(probes, o.clients(), i -> "bulk");
        try {
            if (o.warmup() > 0) {
                writer.paced(0, o.warmup() * o.rate(), o.rate(), seq -> false, 'w', seq -> "warm", probes, o.writers());
            }
            StageReport.WallClock clock = StageReport.WallClock.now();
            java.time.Instant from = java.time.Instant.now();
            long start = System.nanoTime();
            sides.forEach(s -> s.startMeasuring(start));
            Duration cpuBefore = serverCpu();
            long committed = writer.bulk(o.bulkRows(), "bulk");
            report.printf(
                    Locale.ROOT,
                    "%nbulk: one transaction of %,d rows, committed in %d ms, %d client(s) per side%n",
                    o.bulkRows(),
                    (committed - start) / 1_000_000,
                    o.clients());
            long expected = (long) o.bulkRows() * o.clients();
            long deadline = committed + TimeUnit.SECONDS.toNanos(600);
            for (Side s : sides) {
                while (s.bulkRows() < expected && System.nanoTime() < deadline && s.closedConnections() < o.clients()) {
                    Thread.sleep(20);
                }
                double seconds = (s.lastArrival() - committed) / 1e9;
                report.printf(
                        Locale.ROOT,
                        "  %-13s %,d of %,d rows arrived, the last %.2f s after the commit returned: %,.0f changes/s "
                                + "(%,.0f deliveries/s)%n",
                        s.name(),
                        s.bulkRows(),
                        expected,
                        seconds,
                        s.bulkRows() / (double) o.clients() / seconds,
                        s.bulkRows() / seconds);
            }
            Duration cpuAfter = serverCpu();
            if (cpuBefore != null && cpuAfter != null) {
                // Throughput on a shared machine moves with whatever else runs; the server's own CPU per
                // change does not, so it shows a cheaper pipeline even when the wall clock cannot.
                double cpu = cpuAfter.minus(cpuBefore).toNanos() / 1e9;
                report.printf(
                        Locale.ROOT,
                        "  server CPU from the write to the last arrival: %.2f s (%.0f µs per change; the server's JVM: "
                                + "Kafka and every role, not PostgreSQL)%n",
                        cpu,
                        cpu * 1e6 / o.bulkRows());
            }
            Path jfr = recording == null ? null : recording.stop(run.resolve("server.jfr"));
            if (jfr != null) {
                BulkStages.read(jfr, clock)
                        .print(report, committed, o.bulkRows(), sides.get(0).lastArrival());
                ProfileSummary profile = ProfileSummary.read(jfr, from, java.time.Instant.now());
                profile.printGc(report);
                if (o.profile()) {
                    profile.print(report, 30);
                }
                report.println("flight recording: " + jfr);
            }
        } finally {
            sides.forEach(Side::close);
        }
    }

    /** The CPU time the server's process has used so far, if this machine tells. */
    private Duration serverCpu() {
        return recording == null
                ? null
                : ProcessHandle.of(recording.pid())
                        .flatMap(h -> h.info().totalCpuDuration())
                        .orElse(null);
    }

    private List<Side> connect(ProbeLog probes, int clients, IntFunction<String> ownerOf) throws Exception {
        List<Side> sides = new ArrayList<>();
        Side u = new Side("undercurrent", "snapshot", probes, clients);
        sides.add(u);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> minted = new HashMap<>();
        for (int i = 0; i < clients; i++) {
            String owner = ownerOf.apply(i);
            String token = minted.get(owner);
            if (token == null) {
                token = Servers.devToken(http, tokens, owner, "user");
                minted.put(owner, token);
            }
            u.connect(
                    live,
                    Map.of("Authorization", "Bearer " + token),
                    "{\"type\":\"subscribe\",\"id\":\"q\",\"table\":\"" + table + "\","
                            + "\"where\":{\"owner_id\":{\"eq\":\"" + owner + "\"}}}");
        }
        if (naive != null) {
            Side n = new Side("naive peer", "subscribed", probes, clients);
            sides.add(n);
            for (int i = 0; i < clients; i++) {
                n.connect(naive, Map.of(), "{\"type\":\"subscribe\",\"owner_id\":\"" + ownerOf.apply(i) + "\"}");
            }
        }
        for (Side s : sides) {
            s.awaitReady(60 + clients / 10);
        }
        return sides;
    }

    /** The edge closes connections silent for its idle timeout; a ping every 30 s keeps them. */
    private static ScheduledExecutorService keepAlive(Side undercurrent) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keep-alive");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> undercurrent.broadcast("{\"type\":\"ping\"}"), 30, 30, TimeUnit.SECONDS);
        return timer;
    }

    private void awaitDeliveries(List<Side> sides, long expected, int graceSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        for (Side s : sides) {
            long last = -1;
            long lastChange = System.nanoTime();
            while (s.timed() < expected && System.nanoTime() < deadline) {
                long now = s.timed();
                if (now != last) {
                    last = now;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(15)) {
                    break; // nothing arrived for 15 s: report what is missing
                }
                Thread.sleep(20);
            }
        }
    }

    private void printLatencies(List<Side> sides, Map<String, Histogram> latencies, long expected, long start) {
        report.printf(
                "%-14s %9s %9s %9s %9s %9s %14s %10s%n",
                "", "p50", "p90", "p99", "p99.9", "max", "deliveries/s", "missing");
        for (Side s : sides) {
            Histogram h = latencies.get(s.name());
            double seconds = (s.lastArrival() - start) / 1e9;
            report.printf(
                    Locale.ROOT,
                    "%-14s %9s %9s %9s %9s %9s %,14.0f %10d%n",
                    s.name(),
                    ms(h, 50),
                    ms(h, 90),
                    ms(h, 99),
                    ms(h, 99.9),
                    h.getTotalCount() == 0 ? "-" : PercentilePlot.fmt(h.getMaxValue() / 1000.0),
                    s.measuredRows() / seconds,
                    expected - h.getTotalCount());
        }
        if (sides.size() == 2) {
            Histogram u = latencies.get(sides.get(0).name());
            Histogram n = latencies.get(sides.get(1).name());
            report.printf(
                    Locale.ROOT,
                    "%-14s %8.1f× %8.1f× %8.1f× %8.1f× %8.1f×%n",
                    "ratio",
                    ratio(u, n, 50),
                    ratio(u, n, 90),
                    ratio(u, n, 99),
                    ratio(u, n, 99.9),
                    n.getMaxValue() == 0 ? 0 : (double) u.getMaxValue() / n.getMaxValue());
        }
    }

    /**
     * Deliveries as the server counted them (written to its clients' sockets), beside the clients' own
     * count: while the rows were written (what it sustains under the load), and until the last arrived.
     */
    private void printServerCount(
            Side undercurrent, long before, long whenWritten, long last, long start, long written) {
        if (before < 0 || whenWritten < 0 || last < 0) {
            report.println("server count: " + ServerCount.METRIC + " not readable at /metrics; not counted");
            return;
        }
        double writing = (written - start) / 1e9;
        double toLast = (undercurrent.lastArrival() - start) / 1e9;
        report.printf(
                Locale.ROOT,
                "server count (%s, frames' transactions written to sockets): %,d in the %.1f s of writing "
                        + "(%,.0f deliveries/s); %,d until the last arrival %.1f s after the start (%,.0f/s); "
                        + "the clients counted %,d%n",
                ServerCount.METRIC,
                whenWritten - before,
                writing,
                (whenWritten - before) / writing,
                last - before,
                toLast,
                (last - before) / toLast,
                undercurrent.measuredRows());
    }

    private void printWindows(List<Side> sides) {
        for (Side s : sides) {
            List<Histogram> windows = s.windows();
            if (windows.size() < 2) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format("%-14s by 10 s of commit time, p50/p99:", s.name()));
            for (Histogram w : windows) {
                line.append(String.format(Locale.ROOT, "  %s/%s", ms(w, 50), ms(w, 99))
                        .replace(" ms", ""));
            }
            report.println(line.append(" ms"));
        }
    }

    private static Map<Long, Integer> txToSeq(ProbeLog probes, int from, int count) {
        Map<Long, Integer> map = new HashMap<>();
        for (int seq = from; seq < from + count; seq++) {
            if (probes.committedNanos(seq) != 0) {
                map.put(probes.txId(seq), seq);
            }
        }
        return map;
    }

    private static double ratio(Histogram a, Histogram b, double percentile) {
        long bv = b.getValueAtPercentile(percentile);
        return bv == 0 ? 0 : (double) a.getValueAtPercentile(percentile) / bv;
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : PercentilePlot.fmt(h.getValueAtPercentile(percentile) / 1000.0);
    }
}
