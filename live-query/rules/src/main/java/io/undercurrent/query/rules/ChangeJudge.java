package io.undercurrent.query.rules;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.query.RowView;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides what one change means to one subscriber's live query: the one definition the router uses
 * for every change it routes and the edge uses for every change it replays on a resume, so that a
 * replayed change is judged exactly as it would have been live. A row is in a query's result when it
 * matches the filter and the rules let the subscriber read it; the change's old and new images say
 * whether it entered, changed within, or left the result.
 *
 * <p>When the old image is unknown (an update without {@code REPLICA IDENTITY FULL}) whether the
 * subscriber held the row cannot be told: the effect is CHANGED or REMOVED, marked
 * {@link Effect#guessed()}, and whoever knows the rows the client holds decides. A row that stops
 * being readable is only ever REMOVED, never sent with its new contents. Stateless and thread-safe.
 */
public final class ChangeJudge {

    /** What the judge needs of a subscription. */
    public interface Subscriber {
        TableRef table();

        /** The verified claims, or null for an anonymous subscriber. */
        Map<String, Object> auth();

        List<String> keyColumns();

        /** The requested columns, or null for all of them. */
        List<String> fields();

        /** True when the row satisfies the query's {@code where}. */
        boolean matches(Map<String, ?> row);

        /** Whether the query may filter and order by what it does under these rules ({@link MaskedColumnUse}). */
        boolean permittedBy(RuleSet rules);
    }

    /** How a change affects a query's result. */
    public enum Kind {
        ADDED,
        CHANGED,
        REMOVED
    }

    /**
     * @param row       the row as the subscriber may see it; null for REMOVED
     * @param unchanged visible columns whose value the database did not resend
     * @param guessed   the old image was unknown: the subscriber may or may not hold the row
     */
    public record Effect(
            Kind kind, Map<String, Object> key, Map<String, Object> row, List<String> unchanged, boolean guessed) {}

    /** The effect of {@code change} on {@code sub}'s result, or null when it has none. */
    public Effect judge(ChangeEvent change, Subscriber sub, RuleSet rules, long now) {
        Map<String, Object> after = change.after();
        Map<String, Object> before = change.before();
        boolean oldImageKnown = before != null || change.op() == Operation.INSERT || change.op() == Operation.READ;

        Access afterAccess = after == null ? null : visible(sub, after, rules, now);
        if (afterAccess != null) {
            Map<String, Object> row = project(after, afterAccess, sub);
            List<String> unchanged = visibleUnavailable(change.unavailable(), afterAccess, sub.fields());
            if (!oldImageKnown) {
                return new Effect(Kind.CHANGED, change.key(), row, unchanged, true);
            }
            Access beforeAccess = before == null ? null : visible(sub, before, rules, now);
            if (beforeAccess == null) {
                return new Effect(Kind.ADDED, change.key(), row, unchanged, false);
            }
            if (unchanged.isEmpty() && row.equals(project(before, beforeAccess, sub))) {
                return null; // nothing this subscriber can see has changed
            }
            return new Effect(Kind.CHANGED, change.key(), row, unchanged, false);
        }
        if (!oldImageKnown) {
            return new Effect(Kind.REMOVED, change.key(), null, List.of(), true);
        }
        if (before != null && visible(sub, before, rules, now) != null) {
            return new Effect(Kind.REMOVED, change.key(), null, List.of(), false);
        }
        return null;
    }

    /**
     * The access decision when the row is in the subscription's result, else null. A query that
     * filters or orders by a column the rules hide from its subscriber has no result at all.
     */
    private static Access visible(Subscriber sub, Map<String, Object> row, RuleSet rules, long now) {
        if (!sub.permittedBy(rules) || !sub.matches(row)) {
            return null;
        }
        Access access = rules.access(sub.table(), sub.auth(), row, now);
        return access.allowed() ? access : null;
    }

    private static Map<String, Object> project(Map<String, Object> row, Access access, Subscriber sub) {
        return RowView.project(row, access::fieldVisible, sub.keyColumns(), sub.fields());
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
