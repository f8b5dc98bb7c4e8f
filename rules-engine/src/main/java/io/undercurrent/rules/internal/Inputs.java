package io.undercurrent.rules.internal;

import java.util.ArrayList;
import java.util.List;

/** The values an expression looks at: whole {@code auth.x.y} / {@code row.x} paths, and {@code now}. */
final class Inputs {

    private Inputs() {}

    static List<Expr> of(Expr tree) {
        List<Expr> inputs = new ArrayList<>();
        collect(tree, inputs);
        return inputs;
    }

    /** Whether {@code tree} reads the variable {@code name} ({@code row}, {@code auth} or {@code now}) anywhere. */
    static boolean reads(Expr tree, String name) {
        if (tree instanceof Expr.Var var) {
            return var.name().equals(name);
        }
        for (Expr child : tree.children()) {
            if (reads(child, name)) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code exists} / {@code lookup} call in {@code tree}, outermost first. */
    static List<Expr.Call> lookupCalls(Expr tree) {
        List<Expr.Call> calls = new ArrayList<>();
        collectLookups(tree, calls);
        return calls;
    }

    private static void collectLookups(Expr tree, List<Expr.Call> into) {
        if (tree instanceof Expr.Call call) {
            Functions.Fn fn = Functions.find(call.name());
            if (fn != null && fn.isLookup()) {
                into.add(call);
            }
        }
        tree.children().forEach(child -> collectLookups(child, into));
    }

    /** Whether {@code tree} calls {@code exists} or {@code lookup} anywhere. */
    static boolean looksUp(Expr tree) {
        return !lookupCalls(tree).isEmpty();
    }

    private static void collect(Expr expr, List<Expr> into) {
        if (expr instanceof Expr.Get get) {
            if (isPath(get)) {
                into.add(get);
                for (Expr link = get; link instanceof Expr.Get step; link = step.target()) {
                    if (!(step.key() instanceof Expr.Lit)) {
                        collect(step.key(), into);
                    }
                }
            } else {
                collect(get.target(), into);
                collect(get.key(), into);
            }
        } else if (expr instanceof Expr.Var var) {
            if (var.name().equals("now")) {
                into.add(var);
            }
        } else if (expr instanceof Expr.Bin bin) {
            collect(bin.left(), into);
            collect(bin.right(), into);
        } else if (expr instanceof Expr.Not not) {
            collect(not.operand(), into);
        } else if (expr instanceof Expr.Neg neg) {
            collect(neg.operand(), into);
        } else if (expr instanceof Expr.Call call) {
            call.args().forEach(arg -> collect(arg, into));
        }
    }

    private static boolean isPath(Expr.Get get) {
        Expr root = get;
        while (root instanceof Expr.Get step) {
            root = step.target();
        }
        return root instanceof Expr.Var var && !var.name().equals("now");
    }
}
