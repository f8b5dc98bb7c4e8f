package io.undercurrent.query;

import io.undercurrent.query.internal.MatchNode;
import io.undercurrent.query.internal.MatcherCompiler;
import io.undercurrent.query.internal.Tri;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Filter} compiled for one table, evaluated in memory on canonical row images
 * with exactly the semantics of the snapshot SQL (source-read/postgres's {@code PostgresSqlBuilder}): SQL's
 * three-valued logic, numbers compared numerically whatever their Java class, temporal
 * strings compared as instants / wall-clock times, text by code point
 * ({@code COLLATE "C"}), uuids by value. See the module README for every rule.
 *
 * <p>Compile once per subscription; {@link #matches} is thread-safe, and allocates
 * nothing for canonical row values.
 */
public final class RowMatcher {

    /** SQL's three truth values. */
    public enum Truth {
        TRUE,
        FALSE,
        UNKNOWN
    }

    private final Filter filter;
    private final MatchNode root;

    private RowMatcher(Filter filter, MatchNode root) {
        this.filter = filter;
        this.root = root;
    }

    /**
     * Compiles {@code filter} for {@code schema}.
     *
     * @throws InvalidQueryException if the filter names a column the table lacks, applies an
     *                               operator the column's kind does not support, or holds a
     *                               value of the wrong type (possible for a filter read back
     *                               from JSON, or after the table changed)
     */
    public static RowMatcher compile(Filter filter, TableSchema schema) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(schema, "schema");
        return new RowMatcher(filter, new MatcherCompiler(schema).compile(filter, "where"));
    }

    /**
     * True when the filter is TRUE for {@code row} (FALSE and UNKNOWN both do not match,
     * exactly as a SQL {@code WHERE}).
     *
     * @param row a full canonical row image, column name to value; an absent column is read as NULL
     * @throws IllegalArgumentException if a value the filter looks at is not canonical for its
     *                                  column (a {@code String} in an integer column, say)
     */
    public boolean matches(Map<String, ?> row) {
        return root.eval(row) == Tri.TRUE;
    }

    /** The filter's three-valued result for {@code row}; see {@link #matches}. */
    public Truth evaluate(Map<String, ?> row) {
        return switch (root.eval(row)) {
            case Tri.TRUE -> Truth.TRUE;
            case Tri.FALSE -> Truth.FALSE;
            default -> Truth.UNKNOWN;
        };
    }

    /** The filter this matcher was compiled from. */
    public Filter filter() {
        return filter;
    }
}
