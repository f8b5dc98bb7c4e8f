package io.undercurrent.rules.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a channel rule's expression an ordinary rule expression: a channel rule sees {@code auth},
 * {@code channel} and {@code now}, and {@code channel} is judged exactly like a row whose columns are
 * {@code name} and {@code id}. So every check, the sandbox and the compiled form are the table rules'
 * own; only the name differs. Reports what a channel rule may not say: {@code row}, {@code channel}
 * alone, or a member of it other than {@code name} and {@code id}.
 */
final class ChannelExpressions {

    static final String NAME = "name";
    static final String ID = "id";

    private final ProblemSink problems;
    private boolean ok = true;

    private ChannelExpressions(ProblemSink problems) {
        this.problems = problems;
    }

    /** The expression with {@code channel} read as the row, or null when a problem was reported. */
    static Expr rewrite(Expr tree, ProblemSink problems) {
        ChannelExpressions rewriter = new ChannelExpressions(problems);
        Expr rewritten = rewriter.walk(tree);
        return rewriter.ok ? rewritten : null;
    }

    private Expr walk(Expr expr) {
        if (expr instanceof Expr.Var var) {
            if (var.name().equals("row")) {
                report(
                        var.start(),
                        "a channel rule has no 'row'; it sees auth, channel (channel.name, channel.id) and now");
            } else if (var.name().equals("channel")) {
                report(
                        var.start(),
                        "'channel' alone is not a value; use channel.name (the whole name, e.g. group:42)"
                                + " or channel.id (what the * of the rule matched, e.g. 42)");
            }
            return var;
        }
        if (expr instanceof Expr.Get get) {
            if (get.target() instanceof Expr.Var var && var.name().equals("channel")) {
                if (get.key() instanceof Expr.Lit lit && (NAME.equals(lit.value()) || ID.equals(lit.value()))) {
                    return new Expr.Get(get.start(), get.end(), new Expr.Var(var.start(), var.end(), "row"), get.key());
                }
                report(
                        get.key().start(),
                        "a channel has only 'name' (e.g. group:42) and 'id' (what the * of the"
                                + " rule matched, e.g. 42): write channel.name or channel.id");
                return get;
            }
            return new Expr.Get(get.start(), get.end(), walk(get.target()), walk(get.key()));
        }
        if (expr instanceof Expr.Bin bin) {
            return new Expr.Bin(bin.start(), bin.end(), bin.opAt(), bin.op(), walk(bin.left()), walk(bin.right()));
        }
        if (expr instanceof Expr.Not not) {
            return new Expr.Not(not.start(), not.end(), walk(not.operand()));
        }
        if (expr instanceof Expr.Neg neg) {
            return new Expr.Neg(neg.start(), neg.end(), walk(neg.operand()));
        }
        if (expr instanceof Expr.Call call) {
            return new Expr.Call(call.start(), call.end(), call.nameAt(), call.name(), walkAll(call.args()));
        }
        if (expr instanceof Expr.ListOf list) {
            return new Expr.ListOf(list.start(), list.end(), walkAll(list.items()));
        }
        return expr;
    }

    private List<Expr> walkAll(List<Expr> items) {
        List<Expr> out = new ArrayList<>(items.size());
        items.forEach(item -> out.add(walk(item)));
        return out;
    }

    private void report(int offset, String message) {
        ok = false;
        problems.report(offset, message);
    }
}
