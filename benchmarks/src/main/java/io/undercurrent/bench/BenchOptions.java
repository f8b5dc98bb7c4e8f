package io.undercurrent.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The load generator's command line.
 *
 * @param mode       latency (each client reads its own rows), fanout (every client reads every row), bulk (one big transaction)
 * @param source     postgres (the embedded default's database, beside the naive peer) or mariadb (a MariaDB
 *                   the benchmark starts, served by a server joined to an embedded infrastructure; no peer)
 * @param rate       inserts per second
 * @param clients    WebSocket clients per system
 * @param seconds    length of the measured phase
 * @param warmup     seconds of the same load before it (0: measure from a cold start)
 * @param bulkRows   rows of the bulk transaction
 * @param probeEvery one row in this many is a timed probe (the others are counted only)
 * @param writers    database connections writing (0: one per 250 inserts/s)
 * @param launcher   the server's launcher script (or its jar)
 * @param jvmOptions options for the server's JVM, replacing the launcher's defaults (null: keep them)
 * @param server     a running server's WebSocket URL, instead of starting one
 * @param db         that server's database ({@code postgresql://user:password@host:port/db})
 * @param serverPid  that server's process id, to record its stages (0: no stages)
 * @param peer       run the naive peer beside it
 * @param profile    record a CPU profile of the server in the measured phase and print its top frames
 * @param out        where the plot, the recordings and the logs go
 * @param settings   server settings for the started server ({@code ingest.poll-interval=1ms}), passed as
 *                   {@code UNDERCURRENT_*} environment variables
 */
record BenchOptions(
        String mode,
        String source,
        int rate,
        int clients,
        int seconds,
        int warmup,
        int bulkRows,
        int probeEvery,
        int writers,
        Path launcher,
        String jvmOptions,
        String server,
        String db,
        long serverPid,
        boolean peer,
        boolean profile,
        Path out,
        java.util.Map<String, String> settings) {

    static final String USAGE = """
            usage: side-by-side [--mode latency|fanout|bulk] [--source postgres|mariadb] [--rate N] [--clients N] [--seconds N] [--warmup N]
                                [--bulk-rows N] [--probe-every N] [--writers N] [--no-peer] [--profile] [--out DIR]
                                [--launcher PATH] [--jvm-options "OPTIONS"] [--set SETTING=VALUE ...]
                                [--server ws://HOST:PORT/v1/live --db postgresql://USER:PASSWORD@HOST:PORT/DB [--server-pid PID]]
              latency (default): 500 inserts/s for 30 s after a 20 s warm-up, 50 clients each reading their own rows
              fanout:            every client reads every row (try --clients 1000 --rate 100 --probe-every 10)
              bulk:              one transaction of --bulk-rows rows (default 100000) to one client
              --source mariadb:  the same against a MariaDB 11.4 source (binlog ROW/FULL, started here); no naive peer,
                                 which is PostgreSQL NOTIFY only
              --warmup 0 measures from a cold start (latency by 10-second window is printed in every mode)
              --set ingest.poll-interval=1ms gives the started server a setting (server/CONFIG.md), as UNDERCURRENT_INGEST_POLL_INTERVAL
            """;

    static BenchOptions parse(String[] args, Path root) {
        String mode = "latency";
        String source = "postgres";
        int rate = 500;
        int clients = 50;
        int seconds = 30;
        int warmup = 20;
        int bulkRows = 100_000;
        int probeEvery = 1;
        int writers = 0;
        Path launcher = root.resolve("server/bin/undercurrent");
        String jvm = null;
        String server = null;
        String db = null;
        long pid = 0;
        boolean peer = true;
        boolean profile = false;
        Path out = root.resolve("benchmarks/results");
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--mode" -> mode = value(rest, flag);
                case "--source" -> source = value(rest, flag);
                case "--rate" -> rate = number(rest, flag);
                case "--clients" -> clients = number(rest, flag);
                case "--seconds" -> seconds = number(rest, flag);
                case "--warmup" -> warmup = number(rest, flag);
                case "--bulk-rows" -> bulkRows = number(rest, flag);
                case "--probe-every" -> probeEvery = number(rest, flag);
                case "--writers" -> writers = number(rest, flag);
                case "--launcher" -> launcher = Path.of(value(rest, flag));
                case "--jvm-options" -> jvm = value(rest, flag);
                case "--server" -> server = value(rest, flag);
                case "--db" -> db = value(rest, flag);
                case "--server-pid" -> pid = number(rest, flag);
                case "--no-peer" -> peer = false;
                case "--profile" -> profile = true;
                case "--out" -> out = Path.of(value(rest, flag));
                case "--set" -> {
                    String v = value(rest, flag);
                    int eq = v.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException(
                                "--set " + v + ": expected SETTING=VALUE, e.g. ingest.poll-interval=1ms");
                    }
                    settings.put(
                            "UNDERCURRENT_"
                                    + v.substring(0, eq)
                                            .toUpperCase(java.util.Locale.ROOT)
                                            .replace('.', '_')
                                            .replace('-', '_'),
                            v.substring(eq + 1));
                }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (!List.of("latency", "fanout", "bulk").contains(mode)) {
            throw new IllegalArgumentException("--mode " + mode + ": expected latency, fanout or bulk");
        }
        if (!List.of("postgres", "mariadb").contains(source)) {
            throw new IllegalArgumentException("--source " + source + ": expected postgres or mariadb");
        }
        if (source.equals("mariadb") && server != null) {
            throw new IllegalArgumentException(
                    "--source mariadb starts its own MariaDB and server: drop --server and --db");
        }
        if ((server == null) != (db == null)) {
            throw new IllegalArgumentException("--server and --db go together: a running server and its database");
        }
        if (rate < 1 || clients < 1 || seconds < 1 || warmup < 0 || probeEvery < 1 || bulkRows < 1) {
            throw new IllegalArgumentException(
                    "--rate, --clients, --seconds, --probe-every and --bulk-rows must be positive, --warmup not negative");
        }
        if (writers == 0) {
            writers = Math.max(1, (rate + 249) / 250);
        }
        return new BenchOptions(
                mode,
                source,
                rate,
                clients,
                seconds,
                warmup,
                bulkRows,
                probeEvery,
                writers,
                launcher,
                jvm,
                server,
                db,
                pid,
                peer && source.equals("postgres"),
                profile,
                out,
                java.util.Map.copyOf(settings));
    }

    private static String value(List<String> rest, String flag) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.remove(0);
    }

    private static int number(List<String> rest, String flag) {
        String v = value(rest, flag);
        try {
            return Integer.parseInt(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + v + ": expected a whole number");
        }
    }
}
