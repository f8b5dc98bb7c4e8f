package io.undercurrent.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A live query's {@code where}: a tree of conditions on one table's columns, evaluated
 * with SQL's three-valued logic by both {@link RowMatcher} (in memory) and
 * every source's query writer (the snapshot SQL of source-read/postgres). Immutable and thread-safe.
 *
 * <p>Values are canonical row values for their column's kind (see the change contract):
 * {@code Long} or {@code BigDecimal} for numbers, {@code String} for text, uuids,
 * date/times (ISO-8601) and bytes (base64), {@code Boolean}, or {@code null}; the
 * special numbers are the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * {@link LiveQueryParser} produces and checks them against the table; a filter read back
 * from JSON is checked again when compiled.
 *
 * <p>The JSON form is the {@code where} language of the wire protocol ({@link LiveQueryJson}); see the module README.
 */
public sealed interface Filter {

    /** The filter that every row satisfies: {@code {}} in JSON. */
    static Filter matchAll() {
        return new And(List.of());
    }

    /** The comparison operators. */
    enum Operator {
        EQ("eq", "="),
        NE("ne", "<>"),
        LT("lt", "<"),
        LTE("lte", "<="),
        GT("gt", ">"),
        GTE("gte", ">=");

        private final String jsonName;
        private final String sql;

        Operator(String jsonName, String sql) {
            this.jsonName = jsonName;
            this.sql = sql;
        }

        /** The key in the {@code where} language ({@code "gte"}). */
        public String jsonName() {
            return jsonName;
        }

        /** The SQL operator ({@code ">="}). */
        public String sql() {
            return sql;
        }

        /** Whether a comparison result (sign of {@code row - constant}) satisfies this operator. */
        public boolean test(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LTE -> comparison <= 0;
                case GT -> comparison > 0;
                case GTE -> comparison >= 0;
            };
        }

        /** True for the operators that need an ordered column type. */
        public boolean isOrdering() {
            return this != EQ && this != NE;
        }
    }

    /** All operands hold; no operands is TRUE. */
    record And(List<Filter> operands) implements Filter {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** At least one operand holds; no operands is FALSE. */
    record Or(List<Filter> operands) implements Filter {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    /** SQL {@code NOT}: TRUE and FALSE swap, UNKNOWN stays UNKNOWN (so it never matches). */
    record Not(Filter operand) implements Filter {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /**
     * {@code column <operator> value}. UNKNOWN when the column is NULL or {@code value} is
     * {@code null}: {@code {"eq": null}} never matches; use {@link IsNull} to find NULLs.
     */
    record Comparison(String column, Operator operator, Object value) implements Filter {
        public Comparison {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(operator, "operator");
        }
    }

    /**
     * {@code column IN (values)}, or {@code NOT IN} when {@code negated}. {@code values} may
     * hold {@code null}, with SQL's meaning: {@code x IN (1, NULL)} is TRUE for 1 and UNKNOWN
     * otherwise, so {@code x NOT IN (1, NULL)} is never TRUE. An empty list is FALSE for
     * {@code IN} and TRUE for {@code NOT IN}, even when the column is NULL.
     */
    record In(String column, List<Object> values, boolean negated) implements Filter {
        public In {
            Objects.requireNonNull(column, "column");
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** {@code column IS NULL} ({@code isNull} true) or {@code IS NOT NULL}; never UNKNOWN. */
    record IsNull(String column, boolean isNull) implements Filter {
        public IsNull {
            Objects.requireNonNull(column, "column");
        }
    }
}
