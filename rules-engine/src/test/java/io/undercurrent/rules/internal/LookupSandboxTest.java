package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.RuleSet;
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

/** A lookup is data, not code: the rows it yields reach only Frame's helpers, never MVEL or the author. */
class LookupSandboxTest {

    private static final TableRef MESSAGES = new TableRef("app", "public.messages");
    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");

    @TempDir
    Path dir;

    private static final String HEAD = """
            table: public.messages
            lookups:
              member:
                table: public.memberships
                key: [group_id]
              Runtime:
                table: public.runtimes
                key: [id]
            read: "%s"
            """;

    static Stream<Arguments> attempts() {
        return Stream.of(
                Arguments.of("lookup(member, 1).getClass() == null", "getClass", "method calls are not allowed"),
                Arguments.of(
                        "lookup(member, 1).class.forName('java.lang.Runtime') == null",
                        "forName",
                        "method calls are not allowed"),
                Arguments.of("lookup(member, 1).entrySet() == null", "entrySet", "method calls are not allowed"),
                Arguments.of("member.getClass() == null", "getClass", "method calls are not allowed"),
                Arguments.of("Runtime.getRuntime() == null", "getRuntime", "method calls are not allowed"),
                Arguments.of("exists(java.lang.System, 1)", "java", "first names one of the rule's lookups"),
                Arguments.of("exists(System, 1)", "System", "unknown lookup 'System'"),
                Arguments.of("exists(member, new Object())", "new", "object creation"),
                Arguments.of("exists(member, Thread.sleep(1000))", "Thread", "unknown variable 'Thread'"),
                Arguments.of("exists('member', 1)", "'member'", "first names one of the rule's lookups"),
                Arguments.of("exists(lookup(member, 1), 1)", "lookup", "first names one of the rule's lookups"),
                Arguments.of("exists(member, 1) = true", "=", "cannot assign"),
                Arguments.of("exists()", "exists", "first names one of the rule's lookups"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void isRefusedAtLoadWithItsPlaceAndReason(String expression, String at, String reason) {
        TestRules.write(dir, "messages.yaml", HEAD.formatted(expression));
        List<RuleProblem> problems = TestRules.load(dir).problems();
        int column = "read: \"".length() + expression.indexOf(at) + 1;
        assertThat(problems).as("problems of %s", expression).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(9);
            assertThat(problem.column()).isEqualTo(column);
            assertThat(problem.message()).contains(reason);
        });
    }

    private RuleSet load(String read, LookupStore store) {
        TestRules.write(dir, "messages.yaml", HEAD.formatted(read));
        RulesLoader.Result result = TestRules.load(dir);
        assertThat(result.problems()).isEmpty();
        store.declare(result.rules().lookups());
        store.upsert(
                MEMBERSHIPS,
                Map.of("id", 1L),
                Map.of("id", 1L, "group_id", 1L, "class", "text", "getClass", "text too"));
        store.tables().forEach(store::ready);
        return result.rules().withLookups(store);
    }

    @Test
    void propertyLikeKeysOfALookedUpRowAreItsColumnsNeverItsJavaMembers() {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        RuleSet rules = load(
                "lookup(member, row.group_id).class == 'text' && lookup(member, row.group_id).getClass == 'text too'"
                        + " && lookup(member, row.group_id).empty == null && lookup(member, row.group_id)['hashCode'] == null",
                store);
        assertThat(rules.access(MESSAGES, null, Map.of("group_id", 1L), 0).allowed())
                .isTrue();
        assertThat(rules.explain(MESSAGES, null, Map.of("group_id", 1L), 0).toString())
                .doesNotContain("java.lang.Class")
                .doesNotContain("Exception");
    }

    @Test
    void aLookupNamedLikeAClassIsOnlyAName() {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        RuleSet rules = load("!exists(Runtime, 1)", store);
        assertThat(rules.access(MESSAGES, null, Map.of(), 0).allowed()).isTrue();
    }

    @Test
    void theRowsALookupYieldsCannotBeChanged() {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        load("exists(member, 1)", store);
        List<Map<String, ?>> rows = store.rows(new LookupIndex(MEMBERSHIPS, List.of("group_id")), new Object[] {1L});
        assertThat(rows).hasSize(1);
        assertThatThrownBy(() -> rows.clear()).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) rows.get(0);
        assertThatThrownBy(() -> row.put("group_id", 2L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theRenderedCodeNamesOnlyFrameHelpersAndPoolIndexes() {
        Renderer renderer = new Renderer(
                Map.of("member", new RuleSpec.Lookup("member", new LookupIndex(MEMBERSHIPS, List.of("group_id")), 0)));
        Expr tree = Parser.parse("exists(member, row.group_id) && lookup(member, row.x + 1).role == 'o'", (o, m) -> {
            throw new AssertionError(m);
        });
        String rendered = renderer.condition(tree);
        assertThat(rendered)
                .isEqualTo("opExistsOneR(0, 5) && opEq(vKey(fnLookupOne(0, fnAdd(vCol(2), vLit(3))), 4), vLit(5))");
        MvelGuard.checkConditionText(rendered);
        assertThat(rendered).doesNotContain("member").doesNotContain("memberships");
    }
}
