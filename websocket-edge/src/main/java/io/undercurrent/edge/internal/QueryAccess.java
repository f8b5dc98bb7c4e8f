package io.undercurrent.edge.internal;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.rules.MaskedColumnUse;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Whether the rules let a subscriber run a live query at all, decided before any row is read: the
 * table must be readable for the subscriber, and the query may filter and order only by columns
 * the subscriber can see ({@link MaskedColumnUse}). Each answer is a {@code forbidden} message, or
 * null. Stateless.
 */
final class QueryAccess {

    private QueryAccess() {}

    /**
     * Checked first, before the table's schema is read: a caller who may not read a table learns
     * nothing about it, not even whether it exists, so a table without a rule, one whose rule denies
     * this caller whatever the row, and one that does not exist all get the same answer.
     *
     * @param table   the table as the client named it ({@code schema.table}, or a name in the source's default schema)
     * @param qualify the full name of a table as the source's reader spells it ({@code SourceReader.qualify}),
     *                without asking the database
     */
    static String tableRefusal(
            RuleSet rules, String source, String table, UnaryOperator<String> qualify, Map<String, ?> auth) {
        TableRef ref = source.isBlank() || table.isBlank() ? null : new TableRef(source, qualify.apply(table));
        if (ref != null && rules.mayReadAny(ref, auth)) {
            return null;
        }
        return "no rule lets this subscriber read " + source + ":" + table + " (a table is readable only as its rule"
                + " in the rules folder allows; without a rule, by no one)";
    }

    /** Checked once the query is parsed, whenever it starts over and before every read of the database. */
    static String queryRefusal(RuleSet rules, TableRef table, LiveQuery query, Map<String, ?> auth) {
        MaskedColumnUse use = MaskedColumnUse.find(query, rules, table, auth);
        return use == null ? null : use.message();
    }

    /** Checked when a subscription starts over (new token, new rules): everything it was admitted on. */
    static String restartRefusal(RuleSet rules, TableRef table, LiveQuery query, Map<String, ?> auth) {
        if (!rules.hasRule(table)) {
            return "the rule for " + table.source() + ":" + table.table() + " was removed";
        }
        if (!rules.mayReadAny(table, auth)) {
            return "the rules no longer let this subscriber read " + table.source() + ":" + table.table();
        }
        return queryRefusal(rules, table, query, auth);
    }
}
