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

    private NoLossCheck() {}

    /** The rows and their final values as the database holds them now. */
    public static Map<Long, Long> committed(TestDatabase db, String table) throws SQLException {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, v from " + table)) {
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
                    problems.add("row " + id + ": value " + v + " of " + finalV + " never reached Kafka (seen " + seen
                            + ")");
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

    /**
     * Checks the promise readers rely on to drop replays ({@link ChangeEvent#sourceOrder()}): within a
     * partition, a change at or below the highest order read so far is a replay, carrying the very order
     * it had the first time; every other change is new, above all before it. So a reader keeping the
     * highest order per partition drops every replay and nothing else.
     *
     * @return problems found, at most 20; empty when the orders keep the promise
     */
    public static List<String> orderProblems(Map<Integer, List<ChangeEvent>> byPartition, String table) {
        List<String> problems = new ArrayList<>();
        byPartition.forEach((partition, changes) -> {
            Map<String, String> changeByOrder = new HashMap<>();
            Map<String, String> orderByChange = new HashMap<>();
            String highest = null;
            for (ChangeEvent e : changes) {
                if (!e.table().endsWith(table) || problems.size() >= 20) {
                    continue;
                }
                String change = e.op() + " " + e.key() + " " + (e.after() == null ? e.before() : e.after());
                String order = e.sourceOrder();
                if (order == null) {
                    problems.add("partition " + partition + ": no source order on " + change);
                } else if (highest != null && order.compareTo(highest) <= 0) {
                    if (!change.equals(changeByOrder.get(order))) {
                        problems.add("partition " + partition + ": " + change + " at " + order + " is at or below "
                                + highest + " but is not a replay of what had that order (" + changeByOrder.get(order)
                                + ")");
                    }
                } else {
                    if (orderByChange.containsKey(change)) {
                        problems.add("partition " + partition + ": " + change + " came again with a new order " + order
                                + " (first " + orderByChange.get(change) + "): a reader would deliver it twice");
                    }
                    changeByOrder.put(order, change);
                    orderByChange.putIfAbsent(change, order);
                    highest = order;
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
