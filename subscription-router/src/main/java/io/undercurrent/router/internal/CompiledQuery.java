package io.undercurrent.router.internal;

import io.undercurrent.query.LiveQuery;
import io.undercurrent.rules.RuleSet;
import java.util.List;
import java.util.Map;

/**
 * A subscription's live query in the form the router evaluates on every change: the filter and the
 * requested fields. Thread-confined to the router loop.
 */
interface CompiledQuery {

    /** True when the row satisfies the client's {@code where} (SQL semantics: NULL comparisons are not true). */
    boolean matches(Map<String, ?> row);

    /**
     * Whether the subscriber may filter and order by every column the query uses, under
     * {@code rules} (see {@code MaskedColumnUse}). A query that may not matches nothing: its
     * deltas would reveal hidden values.
     */
    boolean permittedBy(RuleSet rules);

    /** The requested columns, or null for all of them. */
    List<String> fields();

    /** The query as parsed from the subscription record. */
    LiveQuery live();
}
