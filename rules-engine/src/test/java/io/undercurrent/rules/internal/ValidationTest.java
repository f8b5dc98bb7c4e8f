package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading reports every problem in every file at once, each at its file:line:col with the fix. */
class ValidationTest {

    @TempDir
    Path dir;

    private List<String> problems() {
        return TestRules.load(dir).problems().stream()
                .map(RuleProblem::toString)
                .toList();
    }

    private String at(String file, int line, int column) {
        return dir.resolve(file) + ":" + line + ":" + column + ": ";
    }

    @Test
    void reportsEveryProblemInEveryFileAtOnceSorted() {
        TestRules.write(dir, "a.yaml", """
        table: public.todos
        reed: "true"
        read: "row.owner_id == usr.id"
        fields:
          note: "auth.role == "
        """);
        TestRules.write(dir, "b.yaml", """
        table: todos
        read: "row.x == 'a'"
        """);
        TestRules.write(dir, "c.yaml", "table: public.items\nread: [not, text]\n");
        assertThat(problems())
                .containsExactly(
                        at("a.yaml", 2, 1)
                                + "unknown key 'reed'; did you mean 'read'? (the keys are source, table, lookups, read, fields, description)",
                        at("a.yaml", 3, 24) + "unknown variable 'usr': rules see only auth, row and now",
                        at("a.yaml", 5, 23) + "expected a value, found the end of the expression",
                        at("b.yaml", 1, 8)
                                + "table 'todos' must be qualified: schema.table for Postgres (public.todos),"
                                + " database.table for MySQL, database.collection for MongoDB",
                        at("c.yaml", 2, 7) + "'read' must be a text value, e.g. \"row.owner_id == auth.sub\""
                                + " (quote expressions so YAML keeps them as written)");
    }

    @Test
    void invalidYamlIsReportedWhereTheParserStopped() {
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"row.x == 'a'\n  fields: [\n");
        assertThat(problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .startsWith(dir.resolve("a.yaml") + ":")
                        .contains("invalid YAML"));
    }

    @Test
    void missingKeysAreReportedAtTheRule() {
        TestRules.write(dir, "a.yaml", "description: nothing else\n");
        assertThat(problems())
                .containsExactly(
                        at("a.yaml", 1, 1)
                                + "missing 'table': name the table this rule covers, e.g. table: public.todos",
                        at("a.yaml", 1, 1)
                                + "missing 'read': say who may read the rows, e.g. read: \"row.owner_id == auth.sub\""
                                + " (read: \"false\" lets nobody read)");
    }

    @Test
    void duplicateKeysAndDuplicateTables() {
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"true\"\nread: \"false\"\n");
        TestRules.write(
                dir, "b.yaml", "table: public.todos\nread: \"true\"\n---\ntable: public.todos\nread: \"false\"\n");
        assertThat(problems())
                .containsExactly(
                        at("a.yaml", 3, 1) + "duplicate key 'read'; each key may appear once",
                        at("b.yaml", 4, 8) + "a rule for app/public.todos already exists at " + dir.resolve("b.yaml")
                                + ":1:8; a table has one rule (combine the conditions with ||)");
    }

    @Test
    void sourcesAreCheckedWhenConfiguredAndRequiredWithoutDefault() {
        TestRules.write(dir, "a.yaml", "source: ap\ntable: public.todos\nread: \"true\"\n");
        assertThat(new RulesLoader("app", Set.of("app", "billing"))
                        .load(dir, null)
                        .problems())
                .extracting(RuleProblem::toString)
                .containsExactly(at("a.yaml", 1, 9) + "unknown source 'ap'; the configured sources are app, billing");
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"true\"\n");
        assertThat(new RulesLoader(null, Set.of()).load(dir, null).problems())
                .extracting(RuleProblem::toString)
                .containsExactly(at("a.yaml", 1, 1)
                        + "missing 'source': no default source is configured, so say which database this rule is for");
    }

    @Test
    void fieldsMustBeAMappingOfConditions() {
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"true\"\nfields: [internal_note]\n");
        assertThat(problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .startsWith(at("a.yaml", 3, 9) + "'fields' maps column names to conditions"));
    }

    @Test
    void emptyAndNonUtf8FilesAreProblems() throws IOException {
        TestRules.write(dir, "empty.yaml", "# nothing yet\n");
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'r', 'e', 'a', 'd', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(problems())
                .containsExactly(
                        dir.resolve("empty.yaml")
                                + ": the file holds no rule; write one (table: and read:, or channel: and join:) or delete the file",
                        dir.resolve("latin1.yaml")
                                + ": cannot read the file (not valid UTF-8 text; save the file as UTF-8)");
    }

    @Test
    void testFilesHiddenFilesAndOtherExtensionsAreNotRules() {
        TestRules.write(dir, "todos.test.yaml", "this: is not a rule\n");
        TestRules.write(dir, ".todos.yaml", "garbage: [\n");
        TestRules.write(dir, "notes.txt", "garbage: [\n");
        TestRules.write(dir, "todos.yml", "table: public.todos\nread: \"true\"\n");
        RulesLoader.Result result = TestRules.load(dir);
        assertThat(result.problems()).isEmpty();
        assertThat(result.rules().size()).isEqualTo(1);
    }

    @Test
    void aMissingDirectoryIsOneProblem() {
        Path missing = dir.resolve("nope");
        assertThat(new RulesLoader("app", Set.of()).load(missing, null).problems())
                .singleElement()
                .satisfies(problem ->
                        assertThat(problem.toString()).startsWith(missing + ": cannot read the rules directory"));
    }

    // ---- expression problems, and their columns in every YAML quoting style

    @Test
    void columnsAreExactInEveryQuotingStyle() {
        assertColumnOfUsr("table: public.todos\nread: row.a == usr\n");
        assertColumnOfUsr("table: public.todos\nread: 'row.a == ''it\\''s'' || usr'\n");
        assertColumnOfUsr("table: public.todos\nread: \"row.a == \\\"x\\\" || '\\u0041' == usr\"\n");
        assertColumnOfUsr("table: public.todos\nread: \"row.a == 'a\\\\\\\\b' || '\\x41' == usr\"\n");
        assertColumnOfUsr("table: public.todos\nread: |\n  row.a == 'x'\n    || usr\n");
        assertColumnOfUsr("table: public.todos\nread: >\n  row.a == 'x'\n  || usr\n");
        assertColumnOfUsr("table: public.todos\nread: \"row.a == 'x'\n  || usr\"\n");
        assertColumnOfUsr("table: public.todos\nread: row.a == 'x'\n  || usr\n");
        assertColumnOfUsr("{table: public.todos, read: \"row.a == usr\"}\n");
        assertColumnOfUsr("table: public.todos\nread: \"row.a == 'caf\u00e9 \ud83d\ude00' || usr\"\n");
    }

    /** The problem about 'usr' must point at exactly where 'usr' is written in the file. */
    private void assertColumnOfUsr(String yaml) {
        TestRules.write(dir, "a.yaml", yaml);
        List<String> lines = yaml.lines().toList();
        int line = 0;
        while (!lines.get(line).contains("usr")) {
            line++;
        }
        String text = lines.get(line);
        int column = text.codePointCount(0, text.indexOf("usr")) + 1;
        List<String> problems = problems();
        assertThat(problems)
                .as(yaml)
                .containsExactly(
                        at("a.yaml", line + 1, column) + "unknown variable 'usr': rules see only auth, row and now");
    }

    @Test
    void expressionMistakesExplainThemselves() {
        assertThat(message("row.owner_id == ")).isEqualTo("expected a value, found the end of the expression");
        assertThat(message("row.title == 'open")).isEqualTo("text is not closed: add the closing '");
        assertThat(message("row.a == 1 == 1")).startsWith("comparisons do not chain");
        assertThat(message("row.a == 'x' row.b")).startsWith("unexpected 'row'");
        assertThat(message("")).startsWith("'read' must be a text value");
        assertThat(message("row.a == 'x' &&")).isEqualTo("expected a value, found the end of the expression");
        assertThat(message("(row.a == 'x'")).startsWith("expected ')'");
        assertThat(message("row.a == null == null")).startsWith("comparisons do not chain");
        assertThat(message("null == null")).startsWith("compares null with null");
        assertThat(message("row.a < null")).startsWith("null can only be compared with == or !=");
        assertThat(message("row.a == 'x' + 1")).startsWith("'+' adds two numbers or joins two texts");
        assertThat(message("'a' < 1")).startsWith("compares a text with a number, which is never true");
        assertThat(message("row.done == 'true'")).isNull();
        assertThat(message("true < false")).startsWith("true and false have no order");
        assertThat(message("row.a")).isNull();
        assertThat(message("'yes'")).startsWith("expected a condition (true or false), found text 'yes'");
        assertThat(message("42")).startsWith("expected a condition (true or false), found number 42");
        assertThat(message("auth"))
                .startsWith("'auth' alone is not a condition; to allow anyone signed in, write auth != null");
        assertThat(message("row")).startsWith("'row' alone is not a condition");
        assertThat(message("now")).startsWith("'now' is a number, not a condition");
        assertThat(message("row.a + 1")).startsWith("'+' computes a value, not a condition");
        assertThat(message("size(auth.groups)")).startsWith("size(...) is a number, not a condition");
        assertThat(message("size(auth.groups, 1) > 0")).startsWith("size takes 1 argument");
        assertThat(message("startsWith(row.a, 'x') == true")).contains("is a condition and cannot be used as a value");
        assertThat(message("(row.a == 'x') == true")).contains("is a condition and cannot be used as a value");
        assertThat(message("row.a in []")).startsWith("the list after 'in' is empty");
        assertThat(message("row.a in [row.b]")).startsWith("list items must be constants");
        assertThat(message("row.a == ['x']")).startsWith("a list is only allowed after 'in'");
        assertThat(message("row.a / 0 > 1")).isEqualTo("division by zero");
        assertThat(message("now.x == 1")).startsWith("a number has no fields or items");
        assertThat(message("row.a[1.5] == 1")).startsWith("a key is a name in quotes or a whole-number list index");
        assertThat(message("row.1 == 1")).startsWith("expected a name after '.', found '1'; for a list item write [0]");
        assertThat(message("row.a == 1L")).startsWith("'1L' is not a number");
        assertThat(message("row.a and row.b")).startsWith("'and': write && for 'and'");
        assertThat(message("not row.a")).startsWith("'not': write && for 'and'");
        assertThat(message("lower(row.a) == 'x' && upper(row.b) == 'Y' && str(row.c) == '1' && num(row.d) == 1"))
                .isNull();
    }

    private String message(String read) {
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"" + read + "\"\n");
        List<RuleProblem> problems = TestRules.load(dir).problems();
        return problems.isEmpty() ? null : problems.get(0).message();
    }
}
