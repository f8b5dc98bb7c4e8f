package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionCompiler;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.rules.MaskedColumnUse;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/**
 * Compiles a subscription's query for in-memory matching. The query is parsed and checked against
 * the table again: the router trusts no record only because an edge wrote it. The steps are
 * {@link SubscriptionCompiler}'s, which the edge runs too before publishing.
 */
final class QueryCompiler {

    private final SubscriptionCompiler compiler = new SubscriptionCompiler();

    /** @throws InvalidQueryException when the query does not fit the table */
    CompiledQuery compile(SubscriptionRecord record) {
        SubscriptionCompiler.Compiled compiled = compiler.compile(record);
        LiveQuery query = compiled.query();
        RowMatcher matcher = compiled.matcher();
        List<String> fields = query.fields();
        TableRef table = new TableRef(record.source(), record.table());
        Map<String, Object> auth = record.auth();
        return new CompiledQuery() {
            /** The rules last judged with, and their verdict: rules change rarely, changes often. */
            private RuleSet judgedBy;

            private boolean permitted;

            @Override
            public boolean matches(Map<String, ?> row) {
                return matcher.matches(row);
            }

            @Override
            public boolean permittedBy(RuleSet rules) {
                if (rules != judgedBy) {
                    permitted = MaskedColumnUse.find(query, rules, table, auth) == null;
                    judgedBy = rules;
                }
                return permitted;
            }

            @Override
            public List<String> fields() {
                return fields;
            }

            @Override
            public LiveQuery live() {
                return query;
            }
        };
    }
}
