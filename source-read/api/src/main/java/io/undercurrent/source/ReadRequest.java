package io.undercurrent.source;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import java.util.List;
import java.util.Objects;

/**
 * One read of a live query's current result.
 *
 * @param query    the live query as {@code LiveQueryParser} checked it: {@code where}, {@code orderBy} and
 *                 {@code limit} shape the read; {@code fields} do not (see {@link RowGate})
 * @param schema   the schema the query was checked against, the one published to the routers; the
 *                 reader decodes rows with it, so snapshot rows and change rows have the same columns
 * @param pushdown a filter on the same table that the reader ANDs into its query to read fewer rows,
 *                 for example the part of a subscriber's read rule that the source can evaluate;
 *                 {@link Filter#matchAll()} for none. It must be implied by the gate: every row it
 *                 excludes the gate would refuse, so the result is the same with or without it (a
 *                 reader that cannot translate part of it may therefore drop that part). Its values
 *                 are canonical values, checked against {@code schema} like {@code where}'s
 * @param maxRows  the most rows the gate may admit; one more fails the read with
 *                 {@link ResultTooLargeException} (a windowed query's {@code limit} is below it)
 */
public record ReadRequest(LiveQuery query, TableSchema schema, Filter pushdown, int maxRows) {

    public ReadRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(schema, "schema");
        pushdown = pushdown == null ? Filter.matchAll() : pushdown;
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
    }

    /** A read without a pushdown. */
    public ReadRequest(LiveQuery query, TableSchema schema, int maxRows) {
        this(query, schema, Filter.matchAll(), maxRows);
    }

    /** The rows to read: the query's {@code where} and the {@link #pushdown}, without a needless {@code and}. */
    public Filter filter() {
        if (matchesAll(pushdown)) {
            return query.where();
        }
        return matchesAll(query.where()) ? pushdown : new Filter.And(List.of(query.where(), pushdown));
    }

    private static boolean matchesAll(Filter filter) {
        return filter instanceof Filter.And and && and.operands().isEmpty();
    }
}
