package io.undercurrent.rules.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits an expression into tokens of the allowed subset. Anything outside it (assignment,
 * statement separators, blocks, bitwise operators, comments...) is reported with the reason, and
 * lexing goes on so that every such problem is reported at once.
 */
final class Lexer {

    private static final List<String> OPERATORS = List.of(
            "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".");

    /** Longest first, so that {@code +=} is reported as assignment and not as {@code +} then {@code =}. */
    private static final List<Map.Entry<String, String>> FORBIDDEN = List.of(
            Map.entry(">>>=", "assignment is not allowed: rules only read"),
            Map.entry("<<=", "assignment is not allowed: rules only read"),
            Map.entry(">>=", "assignment is not allowed: rules only read"),
            Map.entry(">>>", "bitwise operators are not allowed"),
            Map.entry("+=", "assignment is not allowed: rules only read"),
            Map.entry("-=", "assignment is not allowed: rules only read"),
            Map.entry("*=", "assignment is not allowed: rules only read"),
            Map.entry("/=", "assignment is not allowed: rules only read"),
            Map.entry("%=", "assignment is not allowed: rules only read"),
            Map.entry("&=", "assignment is not allowed: rules only read"),
            Map.entry("|=", "assignment is not allowed: rules only read"),
            Map.entry("^=", "assignment is not allowed: rules only read"),
            Map.entry("++", "'++' modifies a variable: rules only read"),
            Map.entry("--", "'--' modifies a variable: rules only read"),
            Map.entry("**", "'**' (power) is not allowed; multiply with *"),
            Map.entry("<<", "bitwise operators are not allowed"),
            Map.entry(">>", "bitwise operators are not allowed"),
            Map.entry("//", "comments are not allowed in an expression; put a # comment in the YAML, after the value"),
            Map.entry("/*", "comments are not allowed in an expression; put a # comment in the YAML, after the value"),
            Map.entry("::", "'::' (method references) is not allowed"),
            Map.entry("->", "lambdas are not allowed"),
            Map.entry("=", "'=' assigns, and rules cannot assign; to compare, write '=='"),
            Map.entry(";", "a rule is one expression: ';' (statement separator) is not allowed"),
            Map.entry("{", "blocks and '{...}' arrays are not allowed"),
            Map.entry("}", "blocks and '{...}' arrays are not allowed"),
            Map.entry(
                    "?",
                    "'?' (ternary or null-safe '.?') is not allowed: property access is already"
                            + " null-safe; combine conditions with &&, || and !"),
            Map.entry(":", "':' is not allowed (no ternaries, inline maps or labels)"),
            Map.entry("@", "'@' (interceptors) is not allowed"),
            Map.entry("$", "'$' (projections and special variables) is not allowed"),
            Map.entry("#", "'#' is not allowed in an expression; a YAML comment goes after the closing quote"),
            Map.entry("~", "'~' (bitwise not, regular expressions) is not allowed"),
            Map.entry("^", "bitwise operators are not allowed"),
            Map.entry("&", "bitwise '&' is not allowed; for 'and' write '&&'"),
            Map.entry("|", "bitwise '|' is not allowed; for 'or' write '||'"),
            Map.entry("`", "'`' is not allowed"),
            Map.entry("\\", "'\\' is only allowed inside quoted text"));

    private final String text;
    private final ProblemSink problems;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean failed;

    private Lexer(String text, ProblemSink problems) {
        this.text = text;
        this.problems = problems;
    }

    /** The tokens, ending with EOF, and whether a problem was reported (then the tokens are partial). */
    record Result(List<Token> tokens, boolean failed) {}

    static Result lex(String text, ProblemSink problems) {
        Lexer lexer = new Lexer(text, problems);
        lexer.run();
        return new Result(lexer.tokens, lexer.failed);
    }

    private void run() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (Character.isLetter(c) || c == '_') {
                identifier();
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else if (!operator()) {
                int codePoint = text.codePointAt(pos);
                fail(pos, "unexpected character '" + new String(Character.toChars(codePoint)) + "'");
                pos += Character.charCount(codePoint);
            }
        }
        tokens.add(new Token(Token.Kind.EOF, "", text.length(), text.length(), null));
    }

    private void identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        tokens.add(new Token(Token.Kind.IDENT, text.substring(start, pos), start, pos, null));
    }

    private void number() {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        boolean decimal = false;
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
            decimal = true;
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            fail(
                    start,
                    "'" + text.substring(start, pos) + "' is not a number: write numbers in plain decimal,"
                            + " e.g. 42 or 3.14 (no suffixes, hex or exponents)");
            return;
        }
        String digits = text.substring(start, pos);
        if (digits.length() > 40) {
            fail(start, "number too long (at most 40 characters)");
            return;
        }
        BigDecimal value = new BigDecimal(digits);
        Object canonical = decimal ? value : Numbers.normalize(value);
        tokens.add(new Token(Token.Kind.NUMBER, digits, start, pos, canonical));
    }

    private void string(char quote) {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                tokens.add(new Token(Token.Kind.STRING, text.substring(start, pos), start, pos, value.toString()));
                return;
            }
            if (c == '\\') {
                if (!escape(value)) {
                    return;
                }
            } else {
                value.append(c);
                pos++;
            }
        }
        fail(start, "text is not closed: add the closing " + quote);
    }

    private boolean escape(StringBuilder value) {
        int at = pos;
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        pos += 2;
        switch (next) {
            case '\\', '\'', '"' -> value.append(next);
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'u' -> {
                if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                    fail(at, "'\\u' must be followed by 4 hex digits");
                    pos = text.length();
                    return false;
                }
                value.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                pos += 4;
            }
            default -> {
                fail(
                        at,
                        "unknown escape '\\" + (next == 0 ? "" : String.valueOf(next))
                                + "' in text; use \\\\ \\' \\\" \\n \\t \\r or \\uXXXX");
                pos = text.length();
                return false;
            }
        }
        return true;
    }

    private boolean operator() {
        for (Map.Entry<String, String> forbidden : FORBIDDEN) {
            if (text.startsWith(forbidden.getKey(), pos) && !isAllowedPrefix(forbidden.getKey())) {
                fail(pos, forbidden.getValue());
                pos += forbidden.getKey().length();
                return true;
            }
        }
        for (String op : OPERATORS) {
            if (text.startsWith(op, pos)) {
                tokens.add(new Token(Token.Kind.OP, op, pos, pos + op.length(), null));
                pos += op.length();
                return true;
            }
        }
        return false;
    }

    /** "=" inside "==", "!=", "<=", ">=" and "&"/"|" inside "&&"/"||" are fine. */
    private boolean isAllowedPrefix(String forbidden) {
        return switch (forbidden) {
            case "=" -> text.startsWith("==", pos);
            case "&" -> text.startsWith("&&", pos);
            case "|" -> text.startsWith("||", pos);
            default -> false;
        };
    }

    private void fail(int offset, String message) {
        failed = true;
        problems.report(offset, message);
    }
}
