package io.undercurrent.rules.internal;

import io.undercurrent.rules.internal.Expr.Bin;
import io.undercurrent.rules.internal.Expr.Call;
import io.undercurrent.rules.internal.Expr.Get;
import io.undercurrent.rules.internal.Expr.ListOf;
import io.undercurrent.rules.internal.Expr.Lit;
import io.undercurrent.rules.internal.Expr.Neg;
import io.undercurrent.rules.internal.Expr.Not;
import io.undercurrent.rules.internal.Expr.Op;
import io.undercurrent.rules.internal.Expr.Var;
import io.undercurrent.rules.internal.Functions.Fn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a checked expression into the MVEL that runs it: calls on {@link Frame} joined by
 * {@code &&} and {@code ||}, with every literal and key moved to a constant pool. The text MVEL
 * sees therefore holds only helper names, small integers, parentheses, commas, {@code &&},
 * {@code ||}, {@code true} and {@code false}: no quotes to escape, no dots, no names of the author's.
 *
 * <p>Negation is pushed down to the comparisons (negation normal form: {@code !(a == b)} becomes
 * {@code opNe(a, b)}, {@code !(x && y)} becomes {@code !x || !y}), and every comparison is false when
 * unknown. That is exactly SQL's three-valued logic with "unknown denies", without an unknown value
 * ever reaching MVEL. One renderer per rule: read and masks share the pool.
 */
final class Renderer {

    private final List<Object> constants = new ArrayList<>();
    private final Map<Object, Integer> positions = new HashMap<>();
    private final Map<String, RuleSpec.Lookup> lookups;

    /** A renderer for a rule without lookups. */
    Renderer() {
        this(Map.of());
    }

    /** @param lookups the rule's lookups by name: each renders as its {@link io.undercurrent.rules.LookupIndex} in the pool */
    Renderer(Map<String, RuleSpec.Lookup> lookups) {
        this.lookups = lookups;
    }

    /** The pool, for {@link Frame#bind}. */
    Object[] constants() {
        return constants.toArray();
    }

    String condition(Expr expr) {
        return condition(expr, false).text;
    }

    String negatedCondition(Expr expr) {
        return condition(expr, true).text;
    }

    private Rendered condition(Expr expr, boolean negated) {
        if (expr instanceof Not not) {
            return condition(not.operand(), !negated);
        }
        if (expr instanceof Bin bin && bin.op().isLogical()) {
            Op op = negated ? (bin.op() == Op.OR ? Op.AND : Op.OR) : bin.op();
            List<Expr> operands = new ArrayList<>();
            flatten(bin, bin.op(), operands);
            List<String> parts = new ArrayList<>();
            for (Expr operand : operands) {
                Rendered part = condition(operand, negated);
                parts.add(part.top == null || part.top == op ? part.text : "(" + part.text + ")");
            }
            return new Rendered(String.join(" " + op.symbol + " ", parts), op);
        }
        if (expr instanceof Bin bin) {
            return comparison(bin, negated);
        }
        if (expr instanceof Call call) {
            Fn fn = Functions.find(call.name());
            if (fn.isLookup()) {
                return atom(lookupCall(negated ? fn.negatedMethod() : fn.frameMethod(), call, true));
            }
            return atom((negated ? fn.negatedMethod() : fn.frameMethod()) + arguments(call.args()));
        }
        if (expr instanceof Lit lit) {
            return atom(String.valueOf((Boolean) lit.value() != negated));
        }
        return atom(call(negated ? "opFalse" : "opTrue", expr));
    }

    private Rendered comparison(Bin bin, boolean negated) {
        Expr left = bin.left();
        Expr right = bin.right();
        switch (bin.op()) {
            case EQ, NE: {
                boolean equal = (bin.op() == Op.EQ) != negated;
                if (isNull(left) || isNull(right)) {
                    Expr other = isNull(left) ? right : left;
                    if (other instanceof Var) {
                        return atom(equal ? "opAnon()" : "opSignedIn()");
                    }
                    return atom(call(equal ? "opNull" : "opNotNull", other));
                }
                return atom(call(equal ? "opEq" : "opNe", left, right));
            }
            case LT:
                return atom(call(negated ? "opGe" : "opLt", left, right));
            case LE:
                return atom(call(negated ? "opGt" : "opLe", left, right));
            case GT:
                return atom(call(negated ? "opLe" : "opGt", left, right));
            case GE:
                return atom(call(negated ? "opLt" : "opGe", left, right));
            case CONTAINS:
                return atom(call(negated ? "opHasNot" : "opHas", left, right));
            case IN:
                return in(left, right, negated);
            default:
                throw new IllegalStateException("not a condition: " + bin.op());
        }
    }

    /**
     * {@code helper(a, b)}, or {@code helperR(refA, refB)} when every operand is simple (a literal,
     * {@code row.col}, {@code auth.claim} or {@code now}): one MVEL node instead of one per operand.
     */
    private String call(String helper, Expr... operands) {
        List<String> refs = new ArrayList<>();
        for (Expr operand : operands) {
            Integer ref = ref(operand);
            if (ref == null) {
                List<String> values = new ArrayList<>();
                for (Expr each : operands) {
                    values.add(value(each));
                }
                return helper + "(" + String.join(", ", values) + ")";
            }
            refs.add(String.valueOf(ref));
        }
        return helper + "R(" + String.join(", ", refs) + ")";
    }

    /** The packed operand of {@link Frame}'s {@code op*R} helpers, or null when not simple. */
    private Integer ref(Expr expr) {
        if (expr instanceof Lit lit && lit.value() != null) {
            return constant(lit.value()) << 2 | Frame.REF_LITERAL;
        }
        if (expr instanceof Var var && var.name().equals("now")) {
            return Frame.REF_NOW;
        }
        if (expr instanceof Get get
                && get.target() instanceof Var var
                && get.key() instanceof Lit key
                && key.value() instanceof String) {
            return constant(key.value()) << 2 | (var.name().equals("row") ? Frame.REF_COLUMN : Frame.REF_CLAIM);
        }
        return null;
    }

    private Rendered in(Expr item, Expr collection, boolean negated) {
        if (!(collection instanceof ListOf list)) {
            return atom(call(negated ? "opHasNot" : "opHas", collection, item));
        }
        List<String> tests = new ArrayList<>();
        for (Expr candidate : list.items()) {
            tests.add(call(negated ? "opNe" : "opEq", item, candidate));
        }
        return tests.size() == 1
                ? atom(tests.get(0))
                : new Rendered(String.join(negated ? " && " : " || ", tests), negated ? Op.AND : Op.OR);
    }

    String value(Expr expr) {
        if (expr instanceof Lit lit) {
            return "vLit(" + constant(lit.value()) + ")";
        }
        if (expr instanceof Var var) {
            if (!var.name().equals("now")) {
                throw new IllegalStateException("bare variable " + var.name());
            }
            return "vNow()";
        }
        if (expr instanceof Get get) {
            return get(get);
        }
        if (expr instanceof Neg neg) {
            return "fnNeg(" + value(neg.operand()) + ")";
        }
        if (expr instanceof Bin bin && bin.op().isArithmetic()) {
            String method = switch (bin.op()) {
                case ADD -> "fnAdd(";
                case SUB -> "fnSub(";
                case MUL -> "fnMul(";
                case DIV -> "fnDiv(";
                default -> "fnMod(";
            };
            return method + value(bin.left()) + ", " + value(bin.right()) + ")";
        }
        if (expr instanceof Call call) {
            Fn fn = Functions.find(call.name());
            return fn.isLookup()
                    ? lookupCall(fn.frameMethod(), call, false)
                    : fn.frameMethod() + arguments(call.args());
        }
        throw new IllegalStateException("not a value: " + expr);
    }

    /**
     * {@code opExistsTwo(index, key1, key2)}: the helper for the key's arity, the lookup's index from
     * the pool, then the key values; {@code opExistsTwoR(index, ref1, ref2)} when every key value is
     * simple and a packed form exists, as for comparisons.
     */
    private String lookupCall(String helper, Expr.Call call, boolean packable) {
        RuleSpec.Lookup lookup = lookup(call);
        List<Expr> keys = call.args().subList(1, call.args().size());
        String index = String.valueOf(constant(lookup.index()));
        if (packable && keys.size() <= Frame.PACKED_LOOKUP_KEYS) {
            List<String> refs = new ArrayList<>();
            for (Expr key : keys) {
                Integer ref = ref(key);
                if (ref == null) {
                    refs = null;
                    break;
                }
                refs.add(String.valueOf(ref));
            }
            if (refs != null) {
                return helper + Frame.ARITY[keys.size()] + "R(" + index + ", " + String.join(", ", refs) + ")";
            }
        }
        List<String> values = new ArrayList<>();
        values.add(index);
        for (Expr key : keys) {
            values.add(value(key));
        }
        return helper + Frame.ARITY[keys.size()] + "(" + String.join(", ", values) + ")";
    }

    /** The declared lookup a checked exists/lookup call names. */
    RuleSpec.Lookup lookup(Expr.Call call) {
        RuleSpec.Lookup lookup = lookups.get(((Var) call.args().get(0)).name());
        if (lookup == null) {
            throw new IllegalStateException("unchecked lookup call " + call);
        }
        return lookup;
    }

    private String get(Get get) {
        Expr target = get.target();
        boolean nameKey = get.key() instanceof Lit lit && lit.value() instanceof String;
        if (target instanceof Var var) {
            boolean row = var.name().equals("row");
            if (nameKey) {
                return (row ? "vCol(" : "vClaim(") + constant(((Lit) get.key()).value()) + ")";
            }
            return (row ? "vColAt(" : "vClaimAt(") + value(get.key()) + ")";
        }
        if (get.key() instanceof Lit lit) {
            return "vKey(" + value(target) + ", " + constant(lit.value()) + ")";
        }
        return "vAt(" + value(target) + ", " + value(get.key()) + ")";
    }

    private String arguments(List<Expr> args) {
        List<String> rendered = new ArrayList<>();
        for (Expr arg : args) {
            rendered.add(value(arg));
        }
        return "(" + String.join(", ", rendered) + ")";
    }

    private int constant(Object value) {
        return positions.computeIfAbsent(value, v -> {
            constants.add(v);
            return constants.size() - 1;
        });
    }

    private static void flatten(Expr expr, Op op, List<Expr> into) {
        if (expr instanceof Bin bin && bin.op() == op) {
            flatten(bin.left(), op, into);
            flatten(bin.right(), op, into);
        } else {
            into.add(expr);
        }
    }

    private static boolean isNull(Expr expr) {
        return expr instanceof Lit lit && lit.value() == null;
    }

    private static Rendered atom(String text) {
        return new Rendered(text, null);
    }

    /** Rendered text and its outermost logical operator (null for a single call or literal). */
    private record Rendered(String text, Op top) {}
}
