package io.undercurrent.rules.internal;

/**
 * One lexical token of a rule expression.
 *
 * @param kind what it is
 * @param text the operator or identifier as written (for STRING and NUMBER the source text)
 * @param offset where it starts in the expression
 * @param end where it ends (exclusive)
 * @param value the decoded text (STRING) or number (NUMBER: Long or BigDecimal); else null
 */
record Token(Kind kind, String text, int offset, int end, Object value) {

    enum Kind {
        IDENT,
        NUMBER,
        STRING,
        OP,
        EOF
    }

    boolean is(String op) {
        return kind == Kind.OP && text.equals(op);
    }

    boolean isIdent(String name) {
        return kind == Kind.IDENT && text.equals(name);
    }
}
