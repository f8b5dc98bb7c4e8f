package io.undercurrent.rules.internal;

import io.undercurrent.rules.internal.Expr.Bin;
import io.undercurrent.rules.internal.Expr.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of the rule language (see README "Expressions"). Precedence, loosest
 * first: {@code ||}, {@code &&}, {@code == !=}, {@code < <= > >= in contains}, {@code + -},
 * {@code * / %}, unary {@code ! -}, then {@code .name}, {@code [key]} and calls. Comparisons do not
 * chain. Stops at the first syntax error; forbidden words are all reported before parsing starts.
 */
final class Parser {

    /** Deep enough for any sensible rule, shallow enough that nothing downstream can overflow. */
    static final int MAX_DEPTH = 32;

    private final List<Token> tokens;
    private int next;
    private int depth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The tree, or null when a problem was reported. */
    static Expr parse(String text, ProblemSink problems) {
        Lexer.Result lexed = Lexer.lex(text, problems);
        List<Token> tokens = lexed.tokens();
        boolean wordsAllowed = wordsAllowed(tokens, problems);
        if (lexed.failed() || !wordsAllowed) {
            return null;
        }
        if (tokens.size() == 1) {
            problems.report(0, "the expression is empty; write a condition, e.g. row.owner_id == auth.sub");
            return null;
        }
        Parser parser = new Parser(tokens);
        try {
            Expr expr = parser.or();
            Token extra = parser.peek();
            if (extra.kind() != Token.Kind.EOF) {
                throw new SyntaxError(
                        extra.offset(),
                        "unexpected " + describe(extra)
                                + "; an operator such as &&, || or == is missing, or a parenthesis is unbalanced");
            }
            return expr;
        } catch (SyntaxError error) {
            problems.report(error.offset, error.getMessage());
            return null;
        }
    }

    private static boolean wordsAllowed(List<Token> tokens, ProblemSink problems) {
        boolean allowed = true;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean isKey = i > 0 && tokens.get(i - 1).is(".");
            String reason = token.kind() == Token.Kind.IDENT && !isKey ? Keywords.reason(token.text()) : null;
            if (reason != null) {
                problems.report(token.offset(), reason);
                allowed = false;
            }
        }
        return allowed;
    }

    private Expr or() {
        enter();
        Expr left = and();
        while (peek().is("||")) {
            Token op = take();
            Expr right = and();
            left = new Bin(left.start(), right.end(), op.offset(), Op.OR, left, right);
        }
        depth--;
        return left;
    }

    private Expr and() {
        Expr left = equality();
        while (peek().is("&&")) {
            Token op = take();
            Expr right = equality();
            left = new Bin(left.start(), right.end(), op.offset(), Op.AND, left, right);
        }
        return left;
    }

    private Expr equality() {
        Expr left = relation();
        if (peek().is("==") || peek().is("!=")) {
            Token op = take();
            Expr right = relation();
            left = new Bin(left.start(), right.end(), op.offset(), op.text().equals("==") ? Op.EQ : Op.NE, left, right);
            if (peek().is("==") || peek().is("!=")) {
                throw new SyntaxError(peek().offset(), "comparisons do not chain; write (a == b) && (b == c)");
            }
        }
        return left;
    }

    private Expr relation() {
        Expr left = additive();
        Op op = relationOp(peek());
        if (op != null) {
            Token at = take();
            Expr right = additive();
            left = new Bin(left.start(), right.end(), at.offset(), op, left, right);
            if (relationOp(peek()) != null) {
                throw new SyntaxError(peek().offset(), "comparisons do not chain; write (a < b) && (b < c)");
            }
        }
        return left;
    }

    private static Op relationOp(Token token) {
        if (token.kind() == Token.Kind.IDENT) {
            return token.text().equals("in") ? Op.IN : token.text().equals("contains") ? Op.CONTAINS : null;
        }
        if (token.kind() != Token.Kind.OP) {
            return null;
        }
        return switch (token.text()) {
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            default -> null;
        };
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().is("+") || peek().is("-")) {
            Token op = take();
            Expr right = multiplicative();
            left = new Bin(
                    left.start(), right.end(), op.offset(), op.text().equals("+") ? Op.ADD : Op.SUB, left, right);
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            Token op = take();
            Expr right = unary();
            Op kind = switch (op.text()) {
                case "*" -> Op.MUL;
                case "/" -> Op.DIV;
                default -> Op.MOD;
            };
            left = new Bin(left.start(), right.end(), op.offset(), kind, left, right);
        }
        return left;
    }

    private Expr unary() {
        Token token = peek();
        if (token.is("!")) {
            take();
            enter();
            Expr operand = unary();
            depth--;
            return new Expr.Not(token.offset(), operand.end(), operand);
        }
        if (token.is("-")) {
            take();
            if (peek().kind() == Token.Kind.NUMBER) {
                Token number = take();
                return new Expr.Lit(token.offset(), number.end(), Numbers.negate(number.value()));
            }
            enter();
            Expr operand = unary();
            depth--;
            return new Expr.Neg(token.offset(), operand.end(), operand);
        }
        return postfix();
    }

    private Expr postfix() {
        Expr expr = primary();
        while (true) {
            Token token = peek();
            if (token.is(".")) {
                take();
                Token name = peek();
                if (name.kind() != Token.Kind.IDENT) {
                    throw new SyntaxError(
                            name.offset(),
                            "expected a name after '.', found " + describe(name)
                                    + (name.kind() == Token.Kind.NUMBER ? "; for a list item write [0]" : ""));
                }
                take();
                if (peek().is("(")) {
                    List<Expr> args = new ArrayList<>();
                    args.add(expr);
                    Token close = arguments(args);
                    expr = new Expr.Call(expr.start(), close.end(), name.offset(), name.text(), args);
                } else {
                    expr = new Expr.Get(
                            expr.start(), name.end(), expr, new Expr.Lit(name.offset(), name.end(), name.text()));
                }
            } else if (token.is("[")) {
                take();
                Expr key = or();
                Token close = expect("]", "to close '['");
                expr = new Expr.Get(expr.start(), close.end(), expr, key);
            } else {
                return expr;
            }
        }
    }

    private Expr primary() {
        Token token = take();
        switch (token.kind()) {
            case NUMBER, STRING:
                return new Expr.Lit(token.offset(), token.end(), token.value());
            case IDENT:
                switch (token.text()) {
                    case "true":
                        return new Expr.Lit(token.offset(), token.end(), Boolean.TRUE);
                    case "false":
                        return new Expr.Lit(token.offset(), token.end(), Boolean.FALSE);
                    case "null":
                        return new Expr.Lit(token.offset(), token.end(), null);
                    case "in":
                        throw new SyntaxError(token.offset(), "'in' needs a value on its left");
                    case "contains":
                        if (!peek().is("(")) {
                            throw new SyntaxError(token.offset(), "'contains' needs a value on its left");
                        }
                        break;
                    default:
                        break;
                }
                if (peek().is("(")) {
                    List<Expr> args = new ArrayList<>();
                    Token close = arguments(args);
                    return new Expr.Call(token.offset(), close.end(), token.offset(), token.text(), args);
                }
                return new Expr.Var(token.offset(), token.end(), token.text());
            case OP:
                if (token.is("(")) {
                    Expr inner = or();
                    expect(")", "to close the '('");
                    Token after = peek();
                    boolean valueFollows = after.kind() == Token.Kind.IDENT
                            || after.kind() == Token.Kind.NUMBER
                            || after.kind() == Token.Kind.STRING
                            || after.is("(");
                    if (inner instanceof Expr.Var
                            && valueFollows
                            && !after.isIdent("in")
                            && !after.isIdent("contains")) {
                        throw new SyntaxError(
                                token.offset(),
                                "casts are not allowed: rules work on the values as they are"
                                        + " (convert with str(...) or num(...))");
                    }
                    return inner;
                }
                if (token.is("[")) {
                    return list(token);
                }
                break;
            default:
                break;
        }
        throw new SyntaxError(token.offset(), "expected a value, found " + describe(token));
    }

    private Expr list(Token open) {
        List<Expr> items = new ArrayList<>();
        if (!peek().is("]")) {
            do {
                items.add(or());
            } while (peek().is(",") && take() != null);
        }
        Token close = expect("]", "to close the list");
        return new Expr.ListOf(open.offset(), close.end(), items);
    }

    /** Parses {@code (a, b, ...)} into {@code args}; returns the closing parenthesis. */
    private Token arguments(List<Expr> args) {
        take();
        if (!peek().is(")")) {
            do {
                args.add(or());
            } while (peek().is(",") && take() != null);
        }
        return expect(")", "to close the argument list");
    }

    private Token expect(String op, String why) {
        Token token = peek();
        if (!token.is(op)) {
            throw new SyntaxError(token.offset(), "expected '" + op + "' " + why + ", found " + describe(token));
        }
        return take();
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new SyntaxError(
                    peek().offset(),
                    "expression nested too deeply (more than " + MAX_DEPTH
                            + " levels); split it into simpler conditions");
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Token.Kind.EOF) {
            next++;
        }
        return token;
    }

    private static String describe(Token token) {
        return token.kind() == Token.Kind.EOF ? "the end of the expression" : "'" + token.text() + "'";
    }

    /** Unwinds the parser to the first syntax error; no stack trace, it is never logged. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        SyntaxError(int offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }
}
