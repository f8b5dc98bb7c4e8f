package io.undercurrent.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.HdrHistogram.Histogram;

/**
 * Where each timed change spent its time inside the server, from the {@code io.undercurrent.ChangeStage}
 * events of a flight recording: each stage stamps the change (by transaction id or GTID) when it reaches it,
 * and the probe log says when the writer issued its commit. Stage times are paired per change,
 * so a hop's percentiles are those of the hop itself, not differences of percentiles.
 */
final class StageReport {

    static final List<String> STAGES = List.of(
            "captured", "ingest-acknowledged", "router-read", "router-acknowledged", "edge-read", "socket-written");

    /** Hops in path order; the acknowledgements are off the path to the client and shown apart. */
    private static final String[][] HOPS = {
        {"issued", "returned", "commit issued → returned to the writer (the database's own commit; for reference)"},
        {"issued", "captured", "commit issued → captured (the commit, Debezium: WAL read, poll wait, hand-over)"},
        {"captured", "router-read", "captured → router read (ingest publish, Kafka, router fetch)"},
        {"router-read", "edge-read", "router read → edge read (match + delta + encode, Kafka, edge fetch)"},
        {"edge-read", "socket-written", "edge read → socket written (stitch, frame, WebSocket write)"},
        {"socket-written", "client", "socket written → client read (loopback, client)"},
        {"captured", "ingest-acknowledged", "captured → ingest acknowledged (off the path: Kafka ack of ingest's batch)"
        },
        {
            "router-read",
            "router-acknowledged",
            "router read → router acknowledged (off the path: Kafka ack of deliveries)"
        },
    };

    private final Map<String, Histogram> sinceCommit = new LinkedHashMap<>();
    private final Map<String, Histogram> hops = new LinkedHashMap<>();
    private long changes;
    private long events;

    private StageReport() {}

    /**
     * @param clock    maps the recording's wall-clock times onto this process's {@code nanoTime}
     * @param txToSeq  the timed changes of the measured phase, by transaction id
     * @param received when each timed change first reached a client ({@code nanoTime}, 0 if unknown), by seq
     */
    static StageReport read(
            Path recording, WallClock clock, Map<Long, Integer> txToSeq, ProbeLog probes, long[] received)
            throws IOException {
        Map<Integer, long[]> times = new HashMap<>();
        StageReport report = new StageReport();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("io.undercurrent.ChangeStage")) {
                    continue;
                }
                report.events++;
                String tx = e.getString("txId");
                Integer seq = tx == null ? null : txToSeq.get(ProbeLog.txKey(tx));
                int stage = STAGES.indexOf(e.getString("stage"));
                if (seq == null || stage < 0) {
                    continue;
                }
                long at = clock.nanos(e.getStartTime());
                long[] t = times.computeIfAbsent(seq, s -> new long[STAGES.size()]);
                if (t[stage] == 0 || at < t[stage]) {
                    t[stage] = at;
                }
            }
        }
        for (Map.Entry<Integer, long[]> e : times.entrySet()) {
            int seq = e.getKey();
            Map<String, Long> at = new HashMap<>();
            at.put("issued", probes.issuedNanos(seq));
            at.put("returned", probes.committedNanos(seq));
            if (seq < received.length && received[seq] != 0) {
                at.put("client", received[seq]);
            }
            for (int i = 0; i < STAGES.size(); i++) {
                if (e.getValue()[i] != 0) {
                    at.put(STAGES.get(i), e.getValue()[i]);
                    report.since(STAGES.get(i)).recordValue(Math.max(0, e.getValue()[i] - at.get("issued")) / 1_000);
                }
            }
            for (String[] hop : HOPS) {
                Long from = at.get(hop[0]);
                Long to = at.get(hop[1]);
                if (from != null && to != null && from != 0) {
                    report.hop(hop[2]).recordValue(Math.max(0, to - from) / 1_000);
                }
            }
            report.changes++;
        }
        return report;
    }

    private Histogram since(String stage) {
        return sinceCommit.computeIfAbsent(stage, s -> new Histogram(3));
    }

    private Histogram hop(String name) {
        return hops.computeIfAbsent(name, s -> new Histogram(3));
    }

    void print(PrintStream out) {
        if (changes == 0) {
            out.printf(
                    "stages: no change-stage events matched the timed changes (%d events recorded); is the server recording "
                            + "io.undercurrent.ChangeStage?%n",
                    events);
            return;
        }
        out.printf("stages of %d timed changes (ms, p50 / p99), paired per change:%n", changes);
        for (String[] hop : HOPS) {
            Histogram h = hops.get(hop[2]);
            if (h != null) {
                out.printf(
                        Locale.ROOT,
                        "  %-88s %8.2f / %8.2f  (n=%d)%n",
                        hop[2],
                        h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0,
                        h.getTotalCount());
            }
        }
        out.print("  since the commit was issued:");
        for (String stage : STAGES) {
            Histogram h = sinceCommit.get(stage);
            if (h != null) {
                out.printf(
                        Locale.ROOT,
                        "  %s %.2f / %.2f",
                        stage,
                        h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0);
            }
        }
        out.println();
    }

    /** Maps wall-clock instants (the recording's) onto {@link System#nanoTime()} of this process. */
    record WallClock(long epochNanos, long nanoTime) {
        static WallClock now() {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            return new WallClock(wall.getEpochSecond() * 1_000_000_000L + wall.getNano(), (before + after) / 2);
        }

        long nanos(Instant instant) {
            return nanoTime + (instant.getEpochSecond() * 1_000_000_000L + instant.getNano() - epochNanos);
        }
    }
}
