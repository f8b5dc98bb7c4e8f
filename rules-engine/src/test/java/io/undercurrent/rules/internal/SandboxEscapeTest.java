package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempts to escape the rule sandbox. Every one must be refused at load, at the exact file:line:col
 * of the offending part, with the reason. Add to this list whenever you think of another.
 */
class SandboxEscapeTest {

    @TempDir
    Path dir;

    /** expression, the part the problem must point at, words the reason must contain. */
    static Stream<Arguments> attempts() {
        return Stream.of(
                attempt("new java.io.File('/etc/passwd').exists()", "new", "object creation"),
                attempt("new int[100000000] == null", "new", "object creation"),
                attempt("java.lang.Runtime.getRuntime().exec('id') == null", "java", "classes and static members"),
                attempt("Runtime.getRuntime().exec('rm -rf /') != null", "Runtime", "classes and static members"),
                attempt("System.exit(1) == null", "System", "classes and static members"),
                attempt("Thread.sleep(100000) == null", "Thread", "classes and static members"),
                attempt("Class.forName('java.lang.Runtime') != null", "Class", "classes and static members"),
                attempt("MVEL.eval('1') == 1", "MVEL", "classes and static members"),
                attempt("auth.sub == java.lang.System.getenv('HOME')", "java", "classes and static members"),
                attempt(
                        "row.getClass().forName('java.lang.Runtime') != null",
                        "getClass",
                        "method calls are not allowed"),
                attempt("'x'.getClass().getClassLoader() == null", "getClass", "method calls are not allowed"),
                attempt("row.title.class.forName('x') == null", "forName", "method calls are not allowed"),
                attempt("auth.sub.toString() == 'x'", "toString", "method calls are not allowed"),
                attempt("row['owner_id'].getBytes('UTF-8') != null", "getBytes", "method calls are not allowed"),
                attempt("auth.sub.substring(0).intern() == 'x'", "substring", "method calls are not allowed"),
                attempt("exec('id') == null", "exec", "unknown function"),
                attempt("getClass() == null", "getClass", "unknown function"),
                attempt("row.owner_id = auth.sub", "=", "cannot assign"),
                attempt("auth.sub += 'x'", "+=", "assignment"),
                attempt("row.count++ > 0", "++", "modifies a variable"),
                attempt("auth.role == 'admin'; System.exit(1)", ";", "one expression"),
                attempt("foreach (x : row.tags) { x }", "foreach", "loops"),
                attempt("while (true) { }", "while", "loops"),
                attempt("for (i = 0; i < 10; i++) {}", "for", "loops"),
                attempt("do { } until (false)", "do", "loops"),
                attempt("def f() { 1 }; f()", "def", "function definitions"),
                attempt("function f() { 1 }", "function", "function definitions"),
                attempt("proto Evil { }", "proto", "function definitions"),
                attempt("import java.io.File; true", "import", "imports"),
                attempt("import_static java.lang.Runtime.getRuntime; true", "import_static", "imports"),
                attempt("auth.sub instanceof String", "instanceof", "type tests"),
                attempt("auth.sub convertable_to Integer", "convertable_to", "type tests"),
                attempt("isdef auth.sub", "isdef", "type tests"),
                attempt("(String) auth.sub == 'x'", "(", "casts are not allowed"),
                attempt("row.?owner_id == auth.sub", "?", "null-safe"),
                attempt("auth.role == 'admin' ? true : false", "?", "ternary"),
                attempt("@Inject auth.sub == 'x'", "@", "interceptors"),
                attempt("($ in row.tags if $ == 'x') != null", "$", "projections"),
                attempt("row.tags.{ x | x } == null", "{", "blocks"),
                attempt("with (row) { title = 'x' }", "with", "'with' blocks"),
                attempt("auth.sub ~= '.*'", "~", "regular expressions"),
                attempt("1 << 30 == 0", "<<", "bitwise"),
                attempt("auth.sub == 'a' | true", "|", "bitwise"),
                attempt("auth.sub == 'a' // comment", "//", "comments"),
                attempt("auth.sub == 'a' /* comment */", "/*", "comments"),
                attempt("this.getClass() != null", "this", "'this'"),
                attempt("empty == auth.sub", "empty", "missing value"),
                attempt("nil == auth.sub", "nil", "missing value"),
                attempt("assert false", "assert", "'assert'"),
                attempt("return true", "return", "statements"),
                attempt("if (true) { true }", "if", "statements"),
                attempt("auth.sub soundslike 'x'", "soundslike", "fuzzy"),
                attempt("\\u0053ystem.exit(1) == null", "\\", "inside quoted text"),
                attempt("auth.sub == `id`", "`", "not allowed"),
                attempt("[1, 2].size() > 0", "[", "only allowed after 'in'"),
                attempt("java.lang.Class == null", "java", "classes and static members"),
                attempt("auth.sub == 0x41", "0x41", "not a number"),
                attempt("auth.sub == 'x' && (x = 1) == 1", "= 1)", "cannot assign"),
                attempt("auth.sub :: toString", "::", "method references"),
                attempt("(x -> x) == null", "->", "lambdas"));
    }

    private static Arguments attempt(String expression, String at, String reason) {
        return Arguments.of(expression, at, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void isRefusedAtLoadWithItsPlaceAndReason(String expression, String at, String reason) {
        TestRules.write(dir, "evil.yaml", "table: public.todos\nread: >-\n  " + expression + "\n");
        RulesLoader.Result result = TestRules.load(dir);

        assertThat(result.rules()).as("loaded rules").isNull();
        int column = 3 + expression.indexOf(at);
        assertThat(result.problems()).as("problems").anySatisfy(problem -> {
            assertThat(problem.file()).isEqualTo(dir.resolve("evil.yaml"));
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.column()).isEqualTo(column);
            assertThat(problem.message()).contains(reason);
            assertThat(problem.toString()).startsWith(dir.resolve("evil.yaml") + ":3:" + column + ": ");
        });
    }

    @Test
    void thereAreAtLeast25DistinctAttempts() {
        assertThat(attempts().map(arguments -> arguments.get()[0]).distinct().count())
                .isGreaterThanOrEqualTo(25);
    }

    @Test
    void fieldMasksAreSandboxedLikeRead() {
        TestRules.write(dir, "evil.yaml", """
        table: public.todos
        read: "true"
        fields:
          title: "Runtime.getRuntime() == null"
        """);
        List<RuleProblem> problems = TestRules.load(dir).problems();
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.column()).isEqualTo(11);
            assertThat(problem.message()).contains("unknown variable 'Runtime'");
        });
    }

    @Test
    void deeplyNestedExpressionsAreRefusedNotOverflowed() {
        String nested = "(".repeat(500) + "true" + ")".repeat(500);
        assertThat(TestRules.problems(dir, nested))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("nested too deeply"));
        String chained = "row.a" + " + row.a".repeat(200) + " > 0";
        assertThat(TestRules.problems(dir, chained))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("nested too deeply"));
    }

    @Test
    void hugeExpressionsAreRefused() {
        String huge = "auth.sub == 'x'" + " || auth.sub == 'x'".repeat(300);
        assertThat(TestRules.problems(dir, huge))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("expression too long"));
    }

    @Test
    void textThatLooksLikeCodeStaysText() {
        TestRules.write(dir, "todos.yaml", """
        table: public.todos
        read: |-
          auth.sub == 'x\\' || java.lang.System.exit(1) || \\'' || row.title == '); new File("x")'
        """);
        RulesLoader.Result result = TestRules.load(dir);
        assertThat(result.problems()).isEmpty();
        TableRef todos = new TableRef("app", "public.todos");
        assertThat(result.rules()
                        .access(todos, Map.of("sub", "x' || java.lang.System.exit(1) || '"), Map.of(), 0)
                        .allowed())
                .isTrue();
        assertThat(result.rules()
                        .access(todos, null, Map.of("title", "); new File(\"x\")"), 0)
                        .allowed())
                .isTrue();
        assertThat(result.rules()
                        .access(todos, Map.of("sub", "x"), Map.of("title", "x"), 0)
                        .allowed())
                .isFalse();
    }
}
