package io.undercurrent.rules.internal;

import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RowCondition.Comparison;
import io.undercurrent.rules.internal.Expr.Bin;
import io.undercurrent.rules.internal.Expr.Call;
import io.undercurrent.rules.internal.Expr.Get;
import io.undercurrent.rules.internal.Expr.ListOf;
import io.undercurrent.rules.internal.Expr.Lit;
import io.undercurrent.rules.internal.Expr.Not;
import io.undercurrent.rules.internal.Expr.Op;
import io.undercurrent.rules.internal.Expr.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mvel2.compiler.ExecutableStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule's {@code read} condition prepared for {@link io.undercurrent.rules.RuleSet#readCondition}:
 * the condition in negation normal form, exactly as {@link Renderer} renders it for {@code access},
 * where every part that does not read {@code row} is compiled on its own (so evaluating it for a
 * subscriber judges exactly as {@code access} does), a comparison of a column with such a value
 * keeps the value compiled, and anything else is opaque.
 *
 * <p>Negation normal form is what makes this sound: every leaf is "definitely true?" and the tree
 * above the leaves is only {@code &&} and {@code ||}, so replacing a leaf by something it implies
 * (an opaque part by true) can only let more rows through. Built once per rule, on first use;
 * immutable and thread-safe.
 */
final class ReadPlan {

    private static final Logger LOG = LoggerFactory.getLogger(ReadPlan.class);

    /** A claim list or object with more entries than this stays opaque rather than becoming a long OR. */
    static final int MAX_MEMBERS = 64;

    private final Node root;
    private final Object[] constants;

    private ReadPlan(Node root, Object[] constants) {
        this.root = root;
        this.constants = constants;
    }

    static ReadPlan of(Condition read) {
        Builder builder = new Builder(read.text());
        try {
            Node root = builder.walk(read.tree(), false);
            return new ReadPlan(root, builder.renderer.constants());
        } catch (RuntimeException e) {
            // Still correct, only no narrowing: the whole rule is then judged row by row.
            LOG.debug("Could not prepare '{}' for partial evaluation; it stays opaque", read.text(), e);
            return new ReadPlan(new OpaqueNode(read.text()), new Object[0]);
        }
    }

    /**
     * The condition with {@code auth} (and, when {@code nowKnown}, {@code now}) decided. Parts that
     * read {@code now} stay opaque when it is not known. Never throws.
     */
    RowCondition evaluate(Frames frames, Map<String, ?> auth, long now, boolean nowKnown) {
        Frame frame = frames.acquire().bind(constants, auth, Map.of(), now);
        try {
            return root.evaluate(frame, nowKnown);
        } finally {
            frame.release();
        }
    }

    // ---- the plan

    private sealed interface Node {
        RowCondition evaluate(Frame frame, boolean nowKnown);
    }

    /** A value that does not depend on the row. */
    private interface Operand {
        Object value(Frame frame);
    }

    /** A part that does not read {@code row}: decided for the subscriber. */
    private record Fixed(ExecutableStatement condition, boolean readsNow, String text) implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            if (readsNow && !nowKnown) {
                return new RowCondition.Opaque(text);
            }
            try {
                return (Boolean) condition.getValue(frame, null) ? RowCondition.TRUE : RowCondition.FALSE;
            } catch (Throwable failure) {
                CompiledRule.rethrowIfFatal(failure);
                return new RowCondition.Opaque(text);
            }
        }
    }

    private record Always(boolean value) implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            return value ? RowCondition.TRUE : RowCondition.FALSE;
        }
    }

    /** {@code row.column <comparison> value}. */
    private record ColumnTest(String column, Comparison comparison, Operand operand, boolean readsNow, String text)
            implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            if (readsNow && !nowKnown) {
                return new RowCondition.Opaque(text);
            }
            try {
                return Conditions.compare(column, comparison, operand.value(frame));
            } catch (Throwable failure) {
                CompiledRule.rethrowIfFatal(failure);
                return new RowCondition.Opaque(text);
            }
        }
    }

    /** {@code row.column in container} ({@code Values.has}), or its negation ({@code Values.hasNot}). */
    private record Membership(String column, Operand container, boolean negated, boolean readsNow, String text)
            implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            if (readsNow && !nowKnown) {
                return new RowCondition.Opaque(text);
            }
            Object members;
            try {
                members = container.value(frame);
            } catch (Throwable failure) {
                CompiledRule.rethrowIfFatal(failure);
                return new RowCondition.Opaque(text);
            }
            RowCondition condition =
                    negated ? Conditions.notMember(column, members) : Conditions.member(column, members);
            return condition == null ? new RowCondition.Opaque(text) : condition;
        }
    }

    private record NullTest(String column, boolean isNull) implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            return new RowCondition.IsNull(column, isNull);
        }
    }

    private record Junction(boolean and, List<Node> operands) implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            List<RowCondition> parts = new ArrayList<>(operands.size());
            for (Node operand : operands) {
                parts.add(operand.evaluate(frame, nowKnown));
            }
            return and ? Conditions.and(parts) : Conditions.or(parts);
        }
    }

    private record OpaqueNode(String text) implements Node {
        @Override
        public RowCondition evaluate(Frame frame, boolean nowKnown) {
            return new RowCondition.Opaque(text);
        }
    }

    // ---- building it: the same walk as Renderer.condition

    private static final class Builder {
        private final String source;
        private final Renderer renderer = new Renderer();

        Builder(String source) {
            this.source = source;
        }

        Node walk(Expr expr, boolean negated) {
            boolean junction =
                    expr instanceof Not || expr instanceof Bin bin && bin.op().isLogical();
            if (!readsData(expr) && !(junction && Inputs.reads(expr, "now"))) {
                // Decided as a whole; a junction that reads now is split, so that its parts that do not
                // can be decided even when the time is not known.
                return fixed(expr, negated);
            }
            if (expr instanceof Not not) {
                return walk(not.operand(), !negated);
            }
            if (expr instanceof Bin bin && bin.op().isLogical()) {
                List<Expr> flat = new ArrayList<>();
                flatten(bin, bin.op(), flat);
                List<Node> operands = new ArrayList<>();
                for (Expr operand : flat) {
                    operands.add(walk(operand, negated));
                }
                return new Junction((bin.op() == Op.AND) != negated, operands);
            }
            if (expr instanceof Bin bin) {
                return comparison(bin, negated);
            }
            if (expr instanceof Call call
                    && call.name().equals("contains")
                    && call.args().size() == 2) {
                return membership(call.args().get(1), call.args().get(0), negated, expr);
            }
            String column = column(expr);
            if (column != null) {
                // A column alone is opTrue / opFalse: Boolean.TRUE.equals(value), i.e. value == true.
                return new ColumnTest(column, Comparison.EQ, frame -> !negated, false, text(expr, negated));
            }
            return opaque(expr, negated);
        }

        private Node comparison(Bin bin, boolean negated) {
            Expr left = bin.left();
            Expr right = bin.right();
            Comparison comparison;
            switch (bin.op()) {
                case EQ, NE -> {
                    boolean equal = (bin.op() == Op.EQ) != negated;
                    if (isNull(left) || isNull(right)) {
                        String column = column(isNull(left) ? right : left);
                        return column == null ? opaque(bin, negated) : new NullTest(column, equal);
                    }
                    comparison = equal ? Comparison.EQ : Comparison.NE;
                }
                case LT -> comparison = negated ? Comparison.GE : Comparison.LT;
                case LE -> comparison = negated ? Comparison.GT : Comparison.LE;
                case GT -> comparison = negated ? Comparison.LE : Comparison.GT;
                case GE -> comparison = negated ? Comparison.LT : Comparison.GE;
                case CONTAINS -> {
                    return membership(right, left, negated, bin);
                }
                case IN -> {
                    return right instanceof ListOf list
                            ? inList(left, list, negated, bin)
                            : membership(left, right, negated, bin);
                }
                default -> {
                    return opaque(bin, negated);
                }
            }
            String leftColumn = column(left);
            if (leftColumn != null && !readsData(right)) {
                return new ColumnTest(
                        leftColumn, comparison, operand(right), Inputs.reads(right, "now"), text(bin, negated));
            }
            String rightColumn = column(right);
            if (rightColumn != null && !readsData(left)) {
                return new ColumnTest(
                        rightColumn,
                        comparison.flipped(),
                        operand(left),
                        Inputs.reads(left, "now"),
                        text(bin, negated));
            }
            return opaque(bin, negated);
        }

        /** {@code item in [a, b]}: {@code item == a || item == b}, negated {@code item != a && item != b}. */
        private Node inList(Expr item, ListOf list, boolean negated, Expr whole) {
            String column = column(item);
            if (column == null) {
                return opaque(whole, negated);
            }
            List<Node> tests = new ArrayList<>();
            for (Expr candidate : list.items()) {
                Object value = ((Lit) candidate).value();
                tests.add(new ColumnTest(
                        column, negated ? Comparison.NE : Comparison.EQ, frame -> value, false, text(whole, negated)));
            }
            return tests.size() == 1 ? tests.get(0) : new Junction(negated, tests);
        }

        private Node membership(Expr item, Expr container, boolean negated, Expr whole) {
            String column = column(item);
            if (column == null || readsData(container)) {
                return opaque(whole, negated);
            }
            return new Membership(
                    column, operand(container), negated, Inputs.reads(container, "now"), text(whole, negated));
        }

        /**
         * Whether {@code expr} depends on more than the subscriber and the time: the row, or a lookup,
         * whose answer changes with the looked-up table (so it is never decided ahead of the rows).
         */
        private static boolean readsData(Expr expr) {
            return Inputs.reads(expr, "row") || Inputs.looksUp(expr);
        }

        private Node fixed(Expr expr, boolean negated) {
            if (expr instanceof Lit lit) {
                return new Always((Boolean) lit.value() != negated);
            }
            String rendered = negated ? renderer.negatedCondition(expr) : renderer.condition(expr);
            return new Fixed(
                    MvelCompiler.condition(rendered, renderer.constants()),
                    Inputs.reads(expr, "now"),
                    text(expr, negated));
        }

        private Operand operand(Expr expr) {
            if (expr instanceof Lit lit) {
                Object value = lit.value();
                return frame -> value;
            }
            ExecutableStatement value = MvelCompiler.value(renderer.value(expr), renderer.constants());
            return frame -> value.getValue(frame, null);
        }

        private Node opaque(Expr expr, boolean negated) {
            return new OpaqueNode(text(expr, negated));
        }

        private String text(Expr expr, boolean negated) {
            String text = source.substring(expr.start(), expr.end());
            return negated ? "!(" + text + ")" : text;
        }

        /** The column of {@code row.name} / {@code row['name']}; null for anything else. */
        private static String column(Expr expr) {
            return expr instanceof Get get
                            && get.target() instanceof Var var
                            && var.name().equals("row")
                            && get.key() instanceof Lit key
                            && key.value() instanceof String name
                    ? name
                    : null;
        }

        private static boolean isNull(Expr expr) {
            return expr instanceof Lit lit && lit.value() == null;
        }

        private static void flatten(Expr expr, Op op, List<Expr> into) {
            if (expr instanceof Bin bin && bin.op() == op) {
                flatten(bin.left(), op, into);
                flatten(bin.right(), op, into);
            } else {
                into.add(expr);
            }
        }
    }
}
