package io.undercurrent.source.postgres.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads PostgreSQL's text form of an array ({@code {1,2,NULL}}, {@code {"a b","c\"d"}},
 * {@code {{1,2},{3,4}}}, {@code [0:1]={7,8}}) into nested lists of element texts, with
 * {@code null} for SQL NULL elements. Element texts are unescaped but not converted.
 */
public final class PgArrayLiteral {
    private final String s;
    private int pos;

    private PgArrayLiteral(String s) {
        this.s = s;
    }

    /** The elements of {@code text}, nested as the array's dimensions. */
    public static List<Object> parse(String text) {
        PgArrayLiteral p = new PgArrayLiteral(text);
        if (!text.isEmpty() && text.charAt(0) == '[') {
            // Explicit bounds ("[0:1]={...}"): the bounds do not change the elements' order.
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw p.fail("'=' after the array bounds");
            }
            p.pos = eq + 1;
        }
        List<Object> result = p.array();
        if (p.pos != text.length()) {
            throw p.fail("the end of the array");
        }
        return result;
    }

    private List<Object> array() {
        expect('{');
        List<Object> out = new ArrayList<>();
        skipSpaces();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '{') {
                out.add(array());
            } else if (c == '"') {
                out.add(quoted());
            } else {
                out.add(unquoted());
            }
            skipSpaces();
            char next = s.charAt(pos++);
            if (next == '}') {
                return out;
            }
            if (next != ',') {
                pos--;
                throw fail("',' or '}'");
            }
        }
    }

    private String quoted() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            b.append(c == '\\' ? s.charAt(pos++) : c);
        }
    }

    private String unquoted() {
        StringBuilder b = new StringBuilder();
        boolean escaped = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ',' || c == '}') {
                break;
            }
            pos++;
            if (c == '\\') {
                b.append(s.charAt(pos++));
                escaped = true;
            } else {
                b.append(c);
            }
        }
        String text = b.toString().strip();
        return !escaped && text.equalsIgnoreCase("NULL") ? null : text;
    }

    private void skipSpaces() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= s.length()) {
            throw fail("more of the array");
        }
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("'" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException fail(String expected) {
        return new IllegalArgumentException("malformed array literal at position " + pos + ": expected " + expected);
    }
}
