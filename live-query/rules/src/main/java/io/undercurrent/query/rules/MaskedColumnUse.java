package io.undercurrent.query.rules;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.Map;

/**
 * A live query that filters or orders by a column its subscriber may not see on every row it
 * reads. Such a query would reveal the hidden value through which rows arrive (an {@code eq} probe
 * answers yes or no, {@code gte} probes recover the value, {@code orderBy} with {@code limit 1}
 * picks the row with the smallest hidden value), so it is refused.
 *
 * <p>The one definition of the rule that a live query may filter and order only by what its
 * subscriber may see: a column with a field mask may appear in {@code where} or {@code orderBy}
 * only when {@link RuleSet#certainlyVisible} says so for the subscriber's claims. Columns without a
 * mask are fine (a row is only sent when {@code read} allows it), and {@code fields} may name
 * masked columns (they are just left out of rows). The edge applies it when a query is subscribed,
 * whenever it starts over and before every read of the database; the router applies it to every
 * subscription record before judging a change, and a subscription that fails it matches nothing.
 *
 * @param column the column
 * @param clause {@code "where"} or {@code "orderBy"}: where the query uses it
 */
public record MaskedColumnUse(String column, String clause) {

    /**
     * The first column {@code query} filters or orders by that the rules do not let this subscriber
     * see on every row, or null when there is none.
     *
     * @param auth the subscriber's verified claims, or null when anonymous
     */
    public static MaskedColumnUse find(LiveQuery query, RuleSet rules, TableRef table, Map<String, ?> auth) {
        String column = hiddenIn(query.where(), rules, table, auth);
        if (column != null) {
            return new MaskedColumnUse(column, "where");
        }
        for (LiveQuery.Order order : query.orderBy()) {
            if (!rules.certainlyVisible(table, auth, order.column())) {
                return new MaskedColumnUse(order.column(), "orderBy");
            }
        }
        return null;
    }

    /** The error message for the client: names the column and says what to do. */
    public String message() {
        return clause + " uses column \"" + column + "\", which the rules do not let this subscriber read on every row;"
                + " filter and order only by fields the subscriber can read (a hidden field may still be listed in"
                + " fields: it is left out of the rows)";
    }

    private static String hiddenIn(Filter filter, RuleSet rules, TableRef table, Map<String, ?> auth) {
        if (filter instanceof Filter.And and) {
            return firstHidden(and.operands(), rules, table, auth);
        }
        if (filter instanceof Filter.Or or) {
            return firstHidden(or.operands(), rules, table, auth);
        }
        if (filter instanceof Filter.Not not) {
            return hiddenIn(not.operand(), rules, table, auth);
        }
        String column = filter instanceof Filter.Comparison c
                ? c.column()
                : filter instanceof Filter.In in ? in.column() : ((Filter.IsNull) filter).column();
        return rules.certainlyVisible(table, auth, column) ? null : column;
    }

    private static String firstHidden(Iterable<Filter> operands, RuleSet rules, TableRef table, Map<String, ?> auth) {
        for (Filter operand : operands) {
            String column = hiddenIn(operand, rules, table, auth);
            if (column != null) {
                return column;
            }
        }
        return null;
    }
}
