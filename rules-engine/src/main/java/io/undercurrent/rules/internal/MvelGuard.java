package io.undercurrent.rules.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.mvel2.ast.ASTNode;
import org.mvel2.ast.And;
import org.mvel2.ast.BooleanNode;
import org.mvel2.ast.LiteralNode;
import org.mvel2.ast.Or;
import org.mvel2.ast.Substatement;
import org.mvel2.compiler.ExecutableAccessor;
import org.mvel2.compiler.ExecutableLiteral;

/**
 * The second and third walls of the sandbox, independent of the parser: before MVEL compiles, the
 * rendered text must match the tiny grammar the renderer emits (calls of {@link Frame} helpers,
 * integers, {@code &&}, {@code ||}, parentheses, {@code true}, {@code false}); after, the compiled
 * tree may hold only the node types that grammar produces. A failure here means a bug in this
 * module, never a user error, and the rule is refused.
 */
final class MvelGuard {

    private static final Set<String> CONDITIONS = new HashSet<>();
    private static final Set<String> VALUES = new HashSet<>();

    static {
        for (Method method : Frame.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            if (method.getName().startsWith("op") && method.getReturnType() == boolean.class) {
                CONDITIONS.add(method.getName());
            } else if ((method.getName().startsWith("v") || method.getName().startsWith("fn"))
                    && method.getReturnType() == Object.class) {
                VALUES.add(method.getName());
            }
        }
    }

    private final String text;
    private int pos;

    private MvelGuard(String text) {
        this.text = text;
    }

    /** Throws unless {@code text} is a condition in the rendered grammar. */
    static void checkConditionText(String text) {
        MvelGuard guard = new MvelGuard(text);
        guard.conditionChain();
        guard.end();
    }

    /** Throws unless {@code text} is a single value call in the rendered grammar. */
    static void checkValueText(String text) {
        MvelGuard guard = new MvelGuard(text);
        guard.call(VALUES);
        guard.end();
    }

    /** Throws unless MVEL compiled the text into only the node types the grammar can produce. */
    static void checkCompiled(Object compiled, boolean condition) {
        if (compiled instanceof ExecutableLiteral literal) {
            require(condition && literal.getLiteral() instanceof Boolean, "literal " + literal.getLiteral());
        } else if (compiled instanceof ExecutableAccessor accessor) {
            checkNode(accessor.getNode(), condition);
        } else {
            throw new GuardException("unexpected compiled form " + className(compiled));
        }
    }

    private static void checkNode(ASTNode node, boolean condition) {
        Class<?> type = node.getClass();
        if (type == And.class || type == Or.class) {
            require(condition, "logical operator in a value");
            checkNode(((BooleanNode) node).getLeft(), true);
            checkNode(((BooleanNode) node).getRight(), true);
        } else if (type == Substatement.class) {
            checkCompiled(((Substatement) node).getStatement(), condition);
        } else if (type == LiteralNode.class) {
            require(condition && node.getLiteralValue() instanceof Boolean, "literal " + node.getLiteralValue());
        } else if (type == ASTNode.class) {
            String name = node.getName();
            int paren = name.indexOf('(');
            String helper = paren < 0 ? name : name.substring(0, paren);
            require(paren > 0 && (condition ? CONDITIONS : VALUES).contains(helper), "call '" + name + "'");
        } else {
            throw new GuardException("unexpected node " + type.getName());
        }
    }

    private void conditionChain() {
        conditionTerm();
        while (skipSpaces() && (text.startsWith("&&", pos) || text.startsWith("||", pos))) {
            pos += 2;
            conditionTerm();
        }
    }

    private void conditionTerm() {
        skipSpaces();
        if (text.startsWith("(", pos)) {
            pos++;
            conditionChain();
            expect(')');
        } else if (text.startsWith("true", pos) || text.startsWith("false", pos)) {
            pos += text.startsWith("true", pos) ? 4 : 5;
            require(pos >= text.length() || !Character.isLetterOrDigit(text.charAt(pos)), "word at " + pos);
        } else {
            call(CONDITIONS);
        }
    }

    private void call(Set<String> allowed) {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos)) && text.charAt(pos) < 128) {
            pos++;
        }
        String name = text.substring(start, pos);
        require(allowed.contains(name), "helper '" + name + "' at " + start);
        expect('(');
        skipSpaces();
        if (!text.startsWith(")", pos)) {
            argument();
            while (skipSpaces() && text.startsWith(",", pos)) {
                pos++;
                argument();
            }
        }
        expect(')');
    }

    private void argument() {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            require(pos - start <= 6, "constant index at " + start);
        } else {
            call(VALUES);
        }
    }

    private void expect(char c) {
        skipSpaces();
        require(pos < text.length() && text.charAt(pos) == c, "expected '" + c + "' at " + pos);
        pos++;
    }

    private void end() {
        skipSpaces();
        require(pos == text.length(), "trailing text at " + pos);
    }

    private boolean skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
        return true;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new GuardException("refused " + what);
        }
    }

    private static String className(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** The rendered MVEL left the allowed grammar: a bug in this module, reported as a rule problem. */
    static final class GuardException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GuardException(String message) {
            super(message);
        }
    }
}
