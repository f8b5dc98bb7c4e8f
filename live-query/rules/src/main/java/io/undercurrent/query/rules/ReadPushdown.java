package io.undercurrent.query.rules;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.rules.internal.RuleComparisons;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a subscriber's read rule that a snapshot's SQL can apply: the rule's
 * {@link RuleSet#readCondition} (the read rule with the subscriber and the time decided) written as
 * a {@link Filter} on the table, so the database returns only rows that can pass the rule. Rows read
 * this way must still be judged by {@link RuleSet#access}; the pushed filter only spares reading
 * (and judging) rows the subscriber may not see, and makes a read's duration independent of how many
 * such rows the client's filter matches.
 *
 * <p>Never narrower than the rule: each pushed comparison has exactly the rule's result on every
 * value the column can hold (see {@link RuleComparisons}), and a part that cannot be written
 * exactly is left out: dropped from an AND, which can only let more rows through, and an OR with
 * such a branch is not pushed at all. Stateless and thread-safe.
 */
public final class ReadPushdown {

    /**
     * The pushed filter.
     *
     * @param filter the filter: {@link Filter#matchAll()} when nothing could be pushed, an empty
     *               {@link Filter.Or} when no row can pass
     * @param exact  true when the filter selects exactly the rows the rule allows (nothing was left
     *               out), false when the rule still decides some rows the filter lets through
     */
    public record Pushdown(Filter filter, boolean exact) {}

    private static final Pushdown NONE = new Pushdown(Filter.matchAll(), false);
    private static final Pushdown ALL = new Pushdown(Filter.matchAll(), true);
    private static final Pushdown NO_ROW = new Pushdown(new Filter.Or(List.of()), true);

    private ReadPushdown() {}

    /** {@code condition} as a filter on {@code schema}'s table. */
    public static Pushdown of(RowCondition condition, TableSchema schema) {
        if (condition instanceof RowCondition.Constant constant) {
            return constant.value() ? ALL : NO_ROW;
        }
        if (condition instanceof RowCondition.And and) {
            return and(and.operands(), schema);
        }
        if (condition instanceof RowCondition.Or or) {
            return or(or.operands(), schema);
        }
        if (condition instanceof RowCondition.IsNull isNull) {
            return leaf(RuleComparisons.isNull(schema.column(isNull.column()), isNull.isNull()));
        }
        if (condition instanceof RowCondition.Compare compare) {
            return leaf(
                    RuleComparisons.compare(schema.column(compare.column()), compare.comparison(), compare.value()));
        }
        return NONE; // opaque: judged row by row only
    }

    /** {@code query} with {@code pushed} ANDed into its {@code where}. */
    public static LiveQuery narrow(LiveQuery query, Filter pushed) {
        if (isTrue(pushed)) {
            return query;
        }
        Filter where = isTrue(query.where()) ? pushed : new Filter.And(List.of(query.where(), pushed));
        return new LiveQuery(query.source(), query.table(), where, query.fields(), query.orderBy(), query.limit());
    }

    private static Pushdown leaf(Filter filter) {
        return filter == null ? NONE : new Pushdown(filter, true);
    }

    private static Pushdown and(List<RowCondition> operands, TableSchema schema) {
        List<Filter> kept = new ArrayList<>();
        boolean exact = true;
        for (RowCondition operand : operands) {
            Pushdown part = of(operand, schema);
            if (isFalse(part.filter())) {
                return NO_ROW;
            }
            exact &= part.exact();
            if (!isTrue(part.filter())) {
                kept.add(part.filter());
            }
        }
        return new Pushdown(kept.size() == 1 ? kept.get(0) : new Filter.And(kept), exact);
    }

    private static Pushdown or(List<RowCondition> operands, TableSchema schema) {
        List<Filter> kept = new ArrayList<>();
        boolean exact = true;
        for (RowCondition operand : operands) {
            Pushdown part = of(operand, schema);
            if (isTrue(part.filter())) {
                // Every row may pass this branch (or it could not be written): nothing to push.
                return part.exact() ? ALL : NONE;
            }
            exact &= part.exact();
            if (!isFalse(part.filter())) {
                kept.add(part.filter());
            }
        }
        return kept.isEmpty() ? NO_ROW : new Pushdown(kept.size() == 1 ? kept.get(0) : new Filter.Or(kept), exact);
    }

    private static boolean isTrue(Filter filter) {
        return filter instanceof Filter.And and && and.operands().isEmpty();
    }

    private static boolean isFalse(Filter filter) {
        return filter instanceof Filter.Or or && or.operands().isEmpty();
    }
}
