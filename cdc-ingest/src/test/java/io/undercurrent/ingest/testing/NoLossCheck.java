package io.undercurrent.ingest.testing;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what the database committed with what reached Kafka: for every row, every value it ever
 * held (1 to its final {@code v}) must have reached the change topic at least once, and the first
 * arrival of each value must come in commit order (per-key order). Replays after a crash may repeat
 * values; they are allowed.
 */
public final class NoLossCheck {

    private NoLossCheck() {
    }

    /** The rows and their final values as the database holds them now. */
    public static Map<Long, Long> committed(TestDatabase db, String table) throws SQLException {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v from " + table)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return rows;
    }

    /** Problems found, at most 20; empty when nothing was lost or reordered. */
    public static List<String> problems(Map<Long, Long> committed, List<ChangeEvent> changes, String table) {
        Map<Long, List<Long>> firstSeen = new LinkedHashMap<>();
        for (ChangeEvent e : changes) {
            if (!e.table().endsWith(table) || e.op() == Operation.DELETE) {
                continue;
            }
            long id = ((Number) e.key().get("id")).longValue();
            long v = ((Number) e.after().get("v")).longValue();
            List<Long> seen = firstSeen.computeIfAbsent(id, k -> new ArrayList<>());
            if (!seen.contains(v)) {
                seen.add(v);
            }
        }
        List<String> problems = new ArrayList<>();
        committed.forEach((id, finalV) -> {
            List<Long> seen = firstSeen.getOrDefault(id, List.of());
            for (long v = 1; v <= finalV; v++) {
                if (!seen.contains(v) && problems.size() < 20) {
                    problems.add("row " + id + ": value " + v + " of " + finalV + " never reached Kafka (seen " + seen + ")");
                }
            }
            for (int i = 1; i < seen.size(); i++) {
                if (seen.get(i) < seen.get(i - 1) && problems.size() < 20) {
                    problems.add("row " + id + ": values arrived out of commit order " + seen);
                    break;
                }
            }
        });
        return problems;
    }

    /** True when every committed value has arrived (used to await convergence before asserting). */
    public static boolean complete(Map<Long, Long> committed, List<ChangeEvent> changes, String table) {
        return problems(committed, changes, table).isEmpty();
    }
}
