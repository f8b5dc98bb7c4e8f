package io.undercurrent.rules.internal;

import java.util.List;

/**
 * The syntax tree of a rule expression, as the author wrote it. Every node knows its span in the
 * expression text ({@code start} inclusive, {@code end} exclusive), for messages and for explain.
 */
sealed interface Expr {

    int start();

    int end();

    /** The sub-expressions, in the order written; none for a literal or a variable. */
    default List<Expr> children() {
        if (this instanceof Get get) {
            return List.of(get.target(), get.key());
        }
        if (this instanceof Bin bin) {
            return List.of(bin.left(), bin.right());
        }
        if (this instanceof Not not) {
            return List.of(not.operand());
        }
        if (this instanceof Neg neg) {
            return List.of(neg.operand());
        }
        if (this instanceof Call call) {
            return call.args();
        }
        if (this instanceof ListOf list) {
            return list.items();
        }
        return List.of();
    }

    /** A literal: String, Long, BigDecimal, Boolean, or null for {@code null}. */
    record Lit(int start, int end, Object value) implements Expr {}

    /** {@code auth}, {@code row} or {@code now} (or an unknown name, which the checker reports). */
    record Var(int start, int end, String name) implements Expr {}

    /** {@code target.name} or {@code target[key]}; a constant key is a String or Long {@link Lit}. */
    record Get(int start, int end, Expr target, Expr key) implements Expr {}

    record Not(int start, int end, Expr operand) implements Expr {}

    record Neg(int start, int end, Expr operand) implements Expr {}

    /** A binary operator; {@code opAt} is where the operator is written. */
    record Bin(int start, int end, int opAt, Op op, Expr left, Expr right) implements Expr {}

    /** A helper call, {@code name(args)} or {@code first.name(rest)}. */
    record Call(int start, int end, int nameAt, String name, List<Expr> args) implements Expr {}

    /** {@code [a, b, c]}: only after {@code in}. */
    record ListOf(int start, int end, List<Expr> items) implements Expr {}

    enum Op {
        OR("||"),
        AND("&&"),
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        IN("in"),
        CONTAINS("contains"),
        ADD("+"),
        SUB("-"),
        MUL("*"),
        DIV("/"),
        MOD("%");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean isLogical() {
            return this == OR || this == AND;
        }

        boolean isArithmetic() {
            return ordinal() >= ADD.ordinal();
        }

        boolean isOrdering() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }
}
