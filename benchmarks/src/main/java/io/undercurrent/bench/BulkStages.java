package io.undercurrent.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a bulk transaction's changes spent their time, from the {@code io.undercurrent.ChangeStage}
 * events of a flight recording: for each stage, how many events carried the transaction and when the
 * first and the last came, counted from the commit's return. A stage whose last event comes late
 * while the one before it finished early is the one that limits the throughput. The bulk transaction
 * is the one with the most events; the latency modes' per-change pairing ({@link StageReport}) says
 * nothing here, where every change shares one transaction.
 */
final class BulkStages {

    private final Map<String, Map<String, long[]>> byTx = new HashMap<>();

    private BulkStages() {}

    /** @param clock maps the recording's wall-clock times onto this process's {@code nanoTime} */
    static BulkStages read(Path recording, StageReport.WallClock clock) throws IOException {
        BulkStages b = new BulkStages();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("io.undercurrent.ChangeStage")) {
                    continue;
                }
                String tx = e.getString("txId");
                String stage = e.getString("stage");
                if (tx == null || stage == null) {
                    continue;
                }
                long at = clock.nanos(e.getStartTime());
                // count, first, last
                long[] s = b.byTx.computeIfAbsent(tx, t -> new HashMap<>())
                        .computeIfAbsent(stage, t -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
                s[0]++;
                s[1] = Math.min(s[1], at);
                s[2] = Math.max(s[2], at);
            }
        }
        return b;
    }

    /**
     * Prints each stage of the bulk transaction: events, first and last (seconds after {@code committed},
     * a {@code nanoTime}), and {@code rows} over the time to the last event.
     */
    void print(PrintStream out, long committed, int rows, long lastArrival) {
        Map<String, long[]> bulk = byTx.values().stream()
                .max((a, b) -> Long.compare(count(a), count(b)))
                .orElse(null);
        if (bulk == null) {
            out.println(
                    "stages: no change-stage events recorded; is the server recording io.undercurrent.ChangeStage?");
            return;
        }
        out.println(
                "stages of the bulk transaction (seconds after the commit returned; rows over the time to the last):");
        for (String stage : StageReport.STAGES) {
            long[] s = bulk.get(stage);
            if (s == null) {
                continue;
            }
            double last = (s[2] - committed) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "  %-20s %,9d events  first %7.2f  last %7.2f  %,9.0f rows/s%n",
                    stage,
                    s[0],
                    (s[1] - committed) / 1e9,
                    last,
                    rows / last);
        }
        double client = (lastArrival - committed) / 1e9;
        out.printf(Locale.ROOT, "  %-20s %16s  last %7.2f  %,9.0f rows/s%n", "client", "", client, rows / client);
    }

    private static long count(Map<String, long[]> stages) {
        long[] captured = stages.get("captured");
        return captured == null ? 0 : captured[0];
    }
}
