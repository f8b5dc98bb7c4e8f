package io.undercurrent.router.internal;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.query.RowView;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides what one change means to one subscription. A row is in a subscription's result when it
 * matches the filter and the rules let the subscriber read it; the change's old and new images say
 * whether it entered, changed within, or left the result.
 *
 * <p>When the old image is unknown (an update without {@code REPLICA IDENTITY FULL}) the router
 * cannot know whether the client holds the row, so it says CHANGED or REMOVED and lets the edge,
 * which knows the keys its client holds, turn that into added or drop a removal of a row the client
 * never had. A row that stops being readable is only ever sent as REMOVED, never with its new
 * contents. Stateless and thread-safe.
 */
final class DeltaComputer {

    Delta compute(ChangeEvent change, ActiveSubscription sub, RuleSet rules, long now) {
        Map<String, Object> after = change.after();
        Map<String, Object> before = change.before();
        boolean oldImageKnown = before != null || change.op() == Operation.INSERT || change.op() == Operation.READ;

        Access afterAccess = after == null ? null : visible(sub, after, rules, now);
        if (afterAccess != null) {
            Map<String, Object> row = project(after, afterAccess, sub);
            List<String> unchanged = visibleUnavailable(
                    change.unavailable(), afterAccess, sub.query().fields());
            if (!oldImageKnown) {
                return new Delta(DeltaOp.CHANGED, change.key(), row, unchanged);
            }
            Access beforeAccess = before == null ? null : visible(sub, before, rules, now);
            if (beforeAccess == null) {
                return new Delta(DeltaOp.ADDED, change.key(), row, unchanged);
            }
            if (unchanged.isEmpty() && row.equals(project(before, beforeAccess, sub))) {
                return null; // nothing this subscriber can see has changed
            }
            return new Delta(DeltaOp.CHANGED, change.key(), row, unchanged);
        }
        if (!oldImageKnown || (before != null && visible(sub, before, rules, now) != null)) {
            return new Delta(DeltaOp.REMOVED, change.key(), null, null);
        }
        return null;
    }

    /**
     * The access decision when the row is in the subscription's result, else null. A query that
     * filters or orders by a column the rules hide from its subscriber has no result at all.
     */
    private static Access visible(ActiveSubscription sub, Map<String, Object> row, RuleSet rules, long now) {
        if (!sub.query().permittedBy(rules) || !sub.query().matches(row)) {
            return null;
        }
        Access access = rules.access(sub.table(), sub.auth(), row, now);
        return access.allowed() ? access : null;
    }

    private static Map<String, Object> project(Map<String, Object> row, Access access, ActiveSubscription sub) {
        return RowView.project(
                row, access::fieldVisible, sub.keyColumns(), sub.query().fields());
    }

    private static List<String> visibleUnavailable(List<String> unavailable, Access access, List<String> fields) {
        if (unavailable.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String column : unavailable) {
            if (access.fieldVisible(column) && (fields == null || fields.contains(column))) {
                out.add(column);
            }
        }
        return out;
    }
}
