package io.undercurrent.router.internal;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@link DeltaComputer} reads of a subscription to judge a change: subscriptions with equal
 * keys get the very same delta from every change, so a change is judged once for all of them.
 *
 * <p>The parts are exactly the inputs of {@link io.undercurrent.query.rules.ChangeJudge.Subscriber}: the
 * table; its schema (key columns, and the column types the filter compares with); the filter; the
 * requested fields; the order (the rules may forbid ordering by a masked column, and such a query
 * matches nothing); and the subscriber's claims as the rules see them ({@link Claims}). Equality is by
 * value and strict (a claim of 1 and one of 1.0 differ), so two subscriptions are grouped only when no
 * rule could tell them apart. The {@code limit} is left out: nothing here reads it (the edge keeps each
 * subscription's window).
 */
record JudgmentKey(
        TableRef table,
        TableSchema schema,
        Filter where,
        List<String> fields,
        List<LiveQuery.Order> orderBy,
        Claims claims) {

    /** @param claimsRead the claims the table's rule reads ({@link RuleSet#claimsRead}), or null for all of them */
    static JudgmentKey of(ActiveSubscription sub, Set<String> claimsRead) {
        LiveQuery query = sub.query().live();
        return new JudgmentKey(
                sub.table(),
                sub.record().schema(),
                query.where(),
                query.fields(),
                query.orderBy(),
                Claims.of(sub.auth(), claimsRead));
    }

    /**
     * A subscriber's claims as the rules see them: whether it is anonymous, and the claims the rules
     * read, each present or absent with its value; all of them when the rules may read any.
     */
    record Claims(boolean anonymous, Map<String, Object> read) {

        static Claims of(Map<String, Object> auth, Set<String> claimsRead) {
            if (auth == null) {
                return new Claims(true, Map.of());
            }
            if (claimsRead == null) {
                return new Claims(false, auth);
            }
            Map<String, Object> read = new HashMap<>();
            for (String name : claimsRead) {
                if (auth.containsKey(name)) {
                    read.put(name, auth.get(name)); // a claim present as null stays apart from one absent
                }
            }
            return new Claims(false, read);
        }
    }
}
