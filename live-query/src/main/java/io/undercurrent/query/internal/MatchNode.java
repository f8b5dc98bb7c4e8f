package io.undercurrent.query.internal;

import io.undercurrent.query.ColumnPath;
import java.util.Map;

/**
 * One node of a compiled filter. {@link #eval} returns a {@link Tri} value and must not
 * allocate for canonical rows; nodes are immutable and shared across threads.
 */
public abstract class MatchNode {
    /** Evaluates against a row; a column absent from the map counts as NULL;
     * a dotted column is looked up through nested maps ({@link ColumnPath}). */
    public abstract int eval(Map<String, ?> row);

    /** SQL AND: FALSE wins, then UNKNOWN. */
    static final class And extends MatchNode {
        private final MatchNode[] operands;

        And(MatchNode[] operands) {
            this.operands = operands;
        }

        @Override
        public int eval(Map<String, ?> row) {
            int result = Tri.TRUE;
            for (MatchNode n : operands) {
                int v = n.eval(row);
                if (v == Tri.FALSE) {
                    return Tri.FALSE;
                }
                if (v == Tri.UNKNOWN) {
                    result = Tri.UNKNOWN;
                }
            }
            return result;
        }
    }

    /** SQL OR: TRUE wins, then UNKNOWN. */
    static final class Or extends MatchNode {
        private final MatchNode[] operands;

        Or(MatchNode[] operands) {
            this.operands = operands;
        }

        @Override
        public int eval(Map<String, ?> row) {
            int result = Tri.FALSE;
            for (MatchNode n : operands) {
                int v = n.eval(row);
                if (v == Tri.TRUE) {
                    return Tri.TRUE;
                }
                if (v == Tri.UNKNOWN) {
                    result = Tri.UNKNOWN;
                }
            }
            return result;
        }
    }

    /** SQL NOT: UNKNOWN stays UNKNOWN. */
    static final class Not extends MatchNode {
        private final MatchNode operand;

        Not(MatchNode operand) {
            this.operand = operand;
        }

        @Override
        public int eval(Map<String, ?> row) {
            return Tri.not(operand.eval(row));
        }
    }

    /** A fixed truth value: a comparison with a NULL constant is always UNKNOWN. */
    static final class Constant extends MatchNode {
        private final int value;

        Constant(int value) {
            this.value = value;
        }

        @Override
        public int eval(Map<String, ?> row) {
            return value;
        }
    }

    /** {@code column IS [NOT] NULL}. */
    static final class IsNull extends MatchNode {
        private final ColumnPath column;
        private final boolean isNull;

        IsNull(String column, boolean isNull) {
            this.column = ColumnPath.of(column);
            this.isNull = isNull;
        }

        @Override
        public int eval(Map<String, ?> row) {
            return Tri.of((column.value(row) == null) == isNull);
        }
    }
}
