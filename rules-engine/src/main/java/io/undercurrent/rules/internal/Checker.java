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
import io.undercurrent.rules.internal.Functions.Kind;
import java.util.List;

/**
 * Checks a parsed expression against the language's rules: only known variables and helpers,
 * conditions where conditions belong and values where values belong, {@code null} only in
 * {@code == null} / {@code != null}, and no comparison that is unknown whatever the data (text
 * against number). Reports every problem it finds.
 */
final class Checker {

    static final int MAX_LIST = 64;

    private final ProblemSink problems;
    private final LookupUses lookups;
    private boolean ok = true;

    private Checker(ProblemSink problems, LookupUses lookups) {
        this.problems = problems;
        this.lookups = lookups;
    }

    /** True when {@code expr} is a valid condition for a rule without lookups. */
    static boolean check(Expr expr, ProblemSink problems) {
        return check(expr, problems, new LookupUses(java.util.Map.of()));
    }

    /**
     * True when {@code expr} is a valid condition; otherwise every problem has been reported.
     *
     * @param lookups the rule's lookups, and the kinds of key values its expressions gave so far
     */
    static boolean check(Expr expr, ProblemSink problems, LookupUses lookups) {
        Checker checker = new Checker(problems, lookups);
        if (depth(expr) > Parser.MAX_DEPTH) {
            checker.report(
                    expr.start(),
                    "expression nested too deeply (more than " + Parser.MAX_DEPTH
                            + " levels); split it into simpler conditions");
            return false;
        }
        checker.condition(expr);
        return checker.ok;
    }

    private void condition(Expr expr) {
        if (expr instanceof Bin bin) {
            conditionBin(bin);
        } else if (expr instanceof Not not) {
            condition(not.operand());
        } else if (expr instanceof Call call) {
            Fn fn = function(call);
            if (fn != null && fn.isLookup() && !fn.isCondition()) {
                report(
                        call.nameAt(),
                        "lookup(...) is a row (or null), not a condition; test it, e.g. lookup(member, ...) != null,"
                                + " use one of its columns, e.g. " + fn.example() + ", or write exists(...)");
            } else if (fn != null && !fn.isCondition()) {
                report(
                        call.nameAt(),
                        call.name() + "(...) is a " + kindName(fn.result()) + ", not a condition;"
                                + " compare it, e.g. " + fn.example());
            }
        } else if (expr instanceof Lit lit) {
            if (!(lit.value() instanceof Boolean)) {
                report(lit.start(), "expected a condition (true or false), found " + describeLiteral(lit));
            }
        } else if (expr instanceof Var var) {
            if (variable(var)) {
                report(
                        var.start(),
                        switch (var.name()) {
                            case "auth" ->
                                "'auth' alone is not a condition; to allow anyone signed in, write auth != null";
                            case "row" -> "'row' alone is not a condition; test a column, e.g. row.done == false";
                            default -> "'now' is a number, not a condition; compare it, e.g. now < row.expires_at";
                        });
            }
        } else if (expr instanceof Get get) {
            value(get);
        } else if (expr instanceof Neg neg) {
            report(neg.start(), "a negated number is not a condition");
        } else {
            report(expr.start(), "a list is not a condition; write e.g. auth.role in ['admin', 'editor']");
        }
    }

    private void conditionBin(Bin bin) {
        Op op = bin.op();
        if (op.isLogical()) {
            condition(bin.left());
            condition(bin.right());
        } else if (op == Op.EQ || op == Op.NE) {
            equality(bin);
        } else if (op.isOrdering()) {
            ordering(bin);
        } else if (op == Op.IN) {
            in(bin);
        } else if (op == Op.CONTAINS) {
            value(bin.left());
            value(bin.right());
        } else {
            report(
                    bin.opAt(),
                    "'" + op.symbol + "' computes a value, not a condition;" + " compare the result, e.g. (row.a "
                            + op.symbol + " row.b) > 0");
        }
    }

    private Kind value(Expr expr) {
        if (expr instanceof Lit lit) {
            if (lit.value() == null) {
                report(lit.start(), "null can only be compared with == or != (e.g. row.deleted_at == null)");
                return Kind.ANY;
            }
            return kindOf(lit.value());
        }
        if (expr instanceof Var var) {
            if (variable(var) && !var.name().equals("now")) {
                report(
                        var.start(),
                        var.name().equals("auth")
                                ? "'auth' alone is all the claims; use one, e.g. auth.sub (auth == null tests for anonymous)"
                                : "'row' alone is the whole row; use a column, e.g. row.owner_id");
            }
            return var.name().equals("now") ? Kind.NUMBER : Kind.ANY;
        }
        if (expr instanceof Get get) {
            return get(get);
        }
        if (expr instanceof Neg neg) {
            expectNumber(value(neg.operand()), neg.start(), "'-'");
            return Kind.NUMBER;
        }
        if (expr instanceof Bin bin && bin.op().isArithmetic()) {
            return arithmetic(bin);
        }
        if (expr instanceof Call call) {
            Fn fn = function(call);
            if (fn != null && fn.isCondition()) {
                report(call.nameAt(), conditionAsValue(call.name() + "(...)"));
            }
            return fn == null || fn.isCondition() ? Kind.ANY : fn.result();
        }
        if (expr instanceof ListOf list) {
            report(list.start(), "a list is only allowed after 'in', e.g. auth.role in ['admin', 'editor']");
        } else if (expr instanceof Bin bin) {
            report(bin.opAt(), conditionAsValue("'" + bin.op().symbol + "'"));
        } else {
            report(expr.start(), conditionAsValue("'!'"));
        }
        return Kind.ANY;
    }

    private Kind get(Get get) {
        Expr target = get.target();
        boolean root = target instanceof Var var && !var.name().equals("now");
        if (root) {
            variable((Var) target);
        } else {
            Kind kind = value(target);
            if (kind != Kind.ANY) {
                report(get.key().start(), "a " + kindName(kind) + " has no fields or items");
            }
        }
        Expr key = get.key();
        if (key instanceof Lit lit) {
            if (!(lit.value() instanceof String) && !Numbers.isIntegral(lit.value())) {
                report(
                        key.start(),
                        "a key is a name in quotes or a whole-number list index, not " + describeLiteral(lit));
            }
        } else {
            value(key);
        }
        return Kind.ANY;
    }

    private void equality(Bin bin) {
        boolean leftNull = isNull(bin.left());
        boolean rightNull = isNull(bin.right());
        if (leftNull && rightNull) {
            report(bin.opAt(), "compares null with null; write true or false");
        } else if (leftNull || rightNull) {
            Expr other = leftNull ? bin.right() : bin.left();
            if (!(other instanceof Var var && var.name().equals("auth"))) {
                value(other);
            }
        } else {
            comparable(bin, value(bin.left()), value(bin.right()));
        }
    }

    private void ordering(Bin bin) {
        Kind left = value(bin.left());
        Kind right = value(bin.right());
        if (left == Kind.BOOLEAN || right == Kind.BOOLEAN) {
            report(bin.opAt(), "true and false have no order; compare them with == or !=");
        } else {
            comparable(bin, left, right);
        }
    }

    private void comparable(Bin bin, Kind left, Kind right) {
        if (left != Kind.ANY && right != Kind.ANY && left != right) {
            report(
                    bin.opAt(),
                    "compares a " + kindName(left) + " with a " + kindName(right)
                            + ", which is never true; convert one side with str(...) or num(...)");
        }
    }

    private void in(Bin bin) {
        value(bin.left());
        if (!(bin.right() instanceof ListOf list)) {
            value(bin.right());
            return;
        }
        if (list.items().isEmpty()) {
            report(list.start(), "the list after 'in' is empty, so the condition is never true");
        } else if (list.items().size() > MAX_LIST) {
            report(list.start(), "at most " + MAX_LIST + " items in a list");
        }
        for (Expr item : list.items()) {
            if (!(item instanceof Lit lit) || lit.value() == null) {
                report(item.start(), "list items must be constants (text, numbers, true or false)");
            }
        }
    }

    private Kind arithmetic(Bin bin) {
        Kind left = value(bin.left());
        Kind right = value(bin.right());
        if (bin.op() == Op.ADD) {
            if (left != Kind.ANY && right != Kind.ANY && (left != right || left == Kind.BOOLEAN)) {
                report(
                        bin.opAt(),
                        "'+' adds two numbers or joins two texts, not a " + kindName(left) + " and a " + kindName(right)
                                + "; convert with str(...) or num(...)");
            }
            return left == right ? left : left == Kind.ANY ? right : left;
        }
        expectNumber(left, bin.opAt(), "'" + bin.op().symbol + "'");
        expectNumber(right, bin.opAt(), "'" + bin.op().symbol + "'");
        if ((bin.op() == Op.DIV || bin.op() == Op.MOD)
                && bin.right() instanceof Lit lit
                && Numbers.decimal(lit.value()) != null
                && Numbers.decimal(lit.value()).signum() == 0) {
            report(bin.opAt(), "division by zero");
        }
        return Kind.NUMBER;
    }

    private void expectNumber(Kind kind, int at, String what) {
        if (kind != Kind.ANY && kind != Kind.NUMBER) {
            report(at, what + " needs numbers, not a " + kindName(kind));
        }
    }

    private Fn function(Call call) {
        Fn fn = Functions.find(call.name());
        boolean methodStyle = call.nameAt() != call.start();
        if (fn == null) {
            report(
                    call.nameAt(),
                    methodStyle
                            ? "method calls are not allowed ('" + call.name() + "'); the only helpers are "
                                    + Functions.names()
                            : "unknown function '" + call.name() + "'; the helpers are " + Functions.names());
        } else if (fn.isLookup()) {
            lookupCall(call);
            return fn;
        } else if (call.args().size() != fn.arity()) {
            report(
                    call.nameAt(),
                    call.name() + " takes " + fn.arity() + (fn.arity() == 1 ? " argument" : " arguments") + ", e.g. "
                            + fn.example());
        }
        List<Expr> args = call.args();
        for (Expr arg : args) {
            value(arg);
        }
        return fn;
    }

    /** {@code exists(name, k1, ...)} / {@code lookup(name, k1, ...)}: a declared lookup, one value per key column. */
    private void lookupCall(Call call) {
        List<Expr> args = call.args();
        String example = call.name() + "(member, row.group_id, auth.sub)";
        RuleSpec.Lookup lookup = null;
        if (args.isEmpty() || !(args.get(0) instanceof Var var)) {
            report(
                    args.isEmpty() ? call.nameAt() : args.get(0).start(),
                    call.name() + "(...) first names one of the rule's lookups, then gives its key values, e.g. "
                            + example + (lookups.names().isEmpty() ? "; declare lookups under lookups:" : ""));
        } else {
            lookup = lookups.find(var.name());
            if (lookup == null && lookups.isBroken(var.name())) {
                ok = false; // its declaration's problems are reported; an "unknown lookup" would only repeat them
            } else if (lookup == null) {
                report(var.start(), lookups.unknown(var.name()));
            }
        }
        List<Expr> keys = args.isEmpty() ? List.of() : args.subList(1, args.size());
        if (lookup != null && keys.size() != lookup.index().key().size()) {
            List<String> columns = lookup.index().key();
            report(
                    call.nameAt(),
                    "lookup '" + lookup.name() + "' is keyed by " + columns.size()
                            + (columns.size() == 1 ? " column (" : " columns (") + String.join(", ", columns)
                            + "), so " + call.name() + "(" + lookup.name() + ", ...) takes " + columns.size()
                            + (columns.size() == 1 ? " key value" : " key values") + " after the name, not "
                            + keys.size());
        }
        for (int i = 0; i < keys.size(); i++) {
            Kind kind = value(keys.get(i));
            if (lookup != null && i < lookup.index().key().size()) {
                String mismatch = lookups.use(lookup, i, kind);
                if (mismatch != null) {
                    report(keys.get(i).start(), mismatch);
                }
            }
        }
    }

    /** True when the variable exists; reports it otherwise. */
    private boolean variable(Var var) {
        if (Keywords.VARIABLES.contains(var.name())) {
            return true;
        }
        if (lookups.find(var.name()) != null) {
            report(
                    var.start(),
                    "'" + var.name() + "' is a lookup, not a value; use it through exists(" + var.name()
                            + ", ...) or lookup(" + var.name() + ", ...)");
            return false;
        }
        boolean looksLikeClass = Character.isUpperCase(var.name().charAt(0))
                || var.name().equals("java")
                || var.name().equals("javax");
        report(
                var.start(),
                "unknown variable '" + var.name() + "': rules see only auth, row and now"
                        + (looksLikeClass ? " (classes and static members are not accessible)" : ""));
        return false;
    }

    private static boolean isNull(Expr expr) {
        return expr instanceof Lit lit && lit.value() == null;
    }

    private static Kind kindOf(Object literal) {
        if (literal instanceof String) {
            return Kind.TEXT;
        }
        return literal instanceof Boolean ? Kind.BOOLEAN : Kind.NUMBER;
    }

    static String kindName(Kind kind) {
        return switch (kind) {
            case TEXT -> "text";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case CONDITION -> "condition";
            case ANY -> "value";
        };
    }

    private static String describeLiteral(Lit lit) {
        Object value = lit.value();
        if (value == null) {
            return "null";
        }
        return value instanceof String text ? "text '" + text + "'" : kindName(kindOf(value)) + " " + value;
    }

    private static String conditionAsValue(String what) {
        return what + " is a condition and cannot be used as a value here; conditions combine only with &&, || and !";
    }

    /** Nesting depth, counting a chain of the same logical operator (a || b || c) as one level. */
    static int depth(Expr expr) {
        if (expr instanceof Bin bin) {
            int left = depth(bin.left());
            boolean chain = bin.op().isLogical() && sameChain(bin.left(), bin.op());
            return Math.max(chain ? left : left + 1, depth(bin.right()) + 1);
        }
        if (expr instanceof Not not) {
            return 1 + depth(not.operand());
        }
        if (expr instanceof Neg neg) {
            return 1 + depth(neg.operand());
        }
        if (expr instanceof Get get) {
            return 1 + Math.max(depth(get.target()), depth(get.key()));
        }
        List<Expr> children =
                expr instanceof Call call ? call.args() : expr instanceof ListOf list ? list.items() : List.of();
        int deepest = 0;
        for (Expr child : children) {
            deepest = Math.max(deepest, depth(child));
        }
        return 1 + deepest;
    }

    private static boolean sameChain(Expr expr, Op op) {
        return expr instanceof Bin bin && bin.op() == op;
    }

    private void report(int offset, String message) {
        ok = false;
        problems.report(offset, message);
    }
}
