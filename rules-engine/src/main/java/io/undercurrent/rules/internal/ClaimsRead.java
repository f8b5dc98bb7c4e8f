package io.undercurrent.rules.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims a rule's expressions read, by name: every {@code auth.name} (or {@code auth['name']}), a
 * nested {@code auth.org.id} counting as its top-level claim {@code org}. An expression that reads
 * the claims otherwise, as a whole or by a computed key ({@code auth[row.kind]}), may read any of
 * them: then the answer is null. {@code auth == null} and {@code auth != null} read only whether the
 * subscriber is anonymous, which callers keep apart anyway.
 */
final class ClaimsRead {

    private ClaimsRead() {}

    /** The names of the claims {@code trees} read, or null when they may read any claim. */
    static Set<String> of(List<Expr> trees) {
        Set<String> names = new TreeSet<>();
        for (Expr tree : trees) {
            if (!collect(tree, names)) {
                return null;
            }
        }
        return Set.copyOf(names);
    }

    /** Adds the claims {@code tree} reads; false when it may read any. */
    private static boolean collect(Expr tree, Set<String> into) {
        if (tree instanceof Expr.Var var) {
            return !isAuth(var);
        }
        if (tree instanceof Expr.Get get && isAuth(get.target())) {
            if (get.key() instanceof Expr.Lit lit && lit.value() instanceof String name) {
                into.add(name);
                return true;
            }
            return false;
        }
        if (tree instanceof Expr.Bin bin
                && (bin.op() == Expr.Op.EQ || bin.op() == Expr.Op.NE)
                && (isAuth(bin.left()) && isNull(bin.right()) || isNull(bin.left()) && isAuth(bin.right()))) {
            return true;
        }
        for (Expr child : tree.children()) {
            if (!collect(child, into)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAuth(Expr expr) {
        return expr instanceof Expr.Var var && var.name().equals("auth");
    }

    private static boolean isNull(Expr expr) {
        return expr instanceof Expr.Lit lit && lit.value() == null;
    }
}
