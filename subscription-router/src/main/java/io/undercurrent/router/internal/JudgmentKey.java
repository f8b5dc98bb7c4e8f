package io.undercurrent.router.internal;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link DeltaComputer} reads of a subscription to judge a change: subscriptions with equal
 * keys get the very same delta from every change, so a change is judged once for all of them.
 *
 * <p>The parts are exactly the inputs of {@link io.undercurrent.query.rules.ChangeJudge.Subscriber}: the
 * table; its schema (key columns, and the column types the filter compares with); the filter; the
 * requested fields; the order (the rules may forbid ordering by a masked column, and such a query
 * matches nothing); and the subscriber's claims, all of them, as the rules see them: the verdict, the
 * field masks and the lookups may read any claim. Equality is by value and strict (a claim of 1 and one
 * of 1.0 differ), so two subscriptions are grouped only when no rule could tell them apart. The
 * {@code limit} is left out: nothing here reads it (the edge keeps each subscription's window).
 */
record JudgmentKey(
        TableRef table,
        TableSchema schema,
        Filter where,
        List<String> fields,
        List<LiveQuery.Order> orderBy,
        Map<String, Object> auth) {

    static JudgmentKey of(TableRef table, TableSchema schema, LiveQuery query, Map<String, Object> auth) {
        return new JudgmentKey(table, schema, query.where(), query.fields(), query.orderBy(), auth);
    }
}
