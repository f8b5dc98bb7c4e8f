package io.undercurrent.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A condition on one row's own columns: what is left of a table's {@code read} rule once the
 * subscriber (and the time) are known. {@link RuleSet#readCondition} builds it so that a database
 * query can fetch only rows that can pass the rule; the rows it returns must still be judged by
 * {@link RuleSet#access}, which stays the one decision.
 *
 * <p>It is judged in the rules' three-valued logic, where only "definitely true" counts: a row the
 * rule allows satisfies the condition, with each {@link Opaque} part taken as true. Conditions are
 * simplified: {@link And} and {@link Or} hold at least two operands, none of them a
 * {@link Constant} or a junction of the same kind. Immutable and thread-safe.
 */
public sealed interface RowCondition {

    /** Every row. */
    RowCondition TRUE = new Constant(true);

    /** No row. */
    RowCondition FALSE = new Constant(false);

    /** Always true or always false, whatever the row. */
    record Constant(boolean value) implements RowCondition {}

    /** Every operand holds. */
    record And(List<RowCondition> operands) implements RowCondition {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** At least one operand holds. */
    record Or(List<RowCondition> operands) implements RowCondition {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    /**
     * {@code row.column <comparison> value}, as a rule compares: true only when the column holds a
     * value of the same kind as {@code value} that compares as stated. Texts compare by
     * {@link String#compareTo} (UTF-16 code units), numbers by exact value whatever their class,
     * booleans only with {@code EQ} and {@code NE}. A null or missing column, a value of another kind
     * (text against number, boolean against anything else) and a list or object in the column never
     * satisfy it, not even {@code NE}.
     *
     * @param column the column name as the rule writes it (the table may not have it)
     * @param value a {@code String}, {@code Boolean}, {@code Long} or {@code BigDecimal}; never null
     */
    record Compare(String column, Comparison comparison, Object value) implements RowCondition {
        public Compare {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(comparison, "comparison");
            if (!(value instanceof String
                    || value instanceof Boolean
                    || value instanceof Long
                    || value instanceof BigDecimal)) {
                throw new IllegalArgumentException("not a canonical scalar: " + value);
            }
        }
    }

    /** {@code row.column == null} ({@code isNull}) or {@code row.column != null}; a missing column is null. */
    record IsNull(String column, boolean isNull) implements RowCondition {
        public IsNull {
            Objects.requireNonNull(column, "column");
        }
    }

    /**
     * A part that only the rule itself can judge, row by row: it compares two columns, computes with
     * a column, looks inside a json value or tests part of a text, for example. It may hold for any
     * row.
     *
     * @param expression the part as the rule writes it, prefixed with {@code !} when it is negated;
     *     for messages and documentation only
     */
    record Opaque(String expression) implements RowCondition {
        public Opaque {
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** How {@link Compare} compares the column (left) with the value (right). */
    enum Comparison {
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        /** As a rule writes it, e.g. {@code <=}. */
        public String symbol() {
            return symbol;
        }

        /** The comparison with its sides swapped: {@code a < b} is {@code b > a}. */
        public Comparison flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }
}
