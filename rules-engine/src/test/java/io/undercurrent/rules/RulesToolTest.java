package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI commands: output a person can act on, and exit codes CI can use. */
class RulesToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void rules() throws IOException {
        Files.writeString(dir.resolve("todos.yaml"), """
        table: public.todos
        read: "row.owner_id == auth.sub || auth.role == 'admin'"
        fields:
          internal_note: "auth.role == 'admin'"
        """);
    }

    @Test
    void validateSucceeds() {
        assertThat(RulesTool.validate(dir, "app", out)).isEqualTo(RulesTool.OK);
        assertThat(output()).isEqualTo("OK: 1 rule in " + dir + ": app/public.todos" + System.lineSeparator());
    }

    @Test
    void validatePrintsEveryProblemAndFails() throws IOException {
        Files.writeString(
                dir.resolve("todos.yaml"), "table: public.todos\nread: \"row.owner_id == usr.sub\"\nfoo: 1\n");
        assertThat(RulesTool.validate(dir, "app", out)).isEqualTo(RulesTool.FAILED);
        assertThat(output())
                .contains(dir.resolve("todos.yaml") + ":2:24: unknown variable 'usr'")
                .contains(dir.resolve("todos.yaml") + ":3:1: unknown key 'foo'")
                .contains("2 problems in " + dir + "; nothing would be loaded");
    }

    @Test
    void missingFolderIsAnError() {
        assertThat(RulesTool.validate(dir.resolve("nope"), "app", out)).isEqualTo(RulesTool.ERROR);
        assertThat(RulesTool.test(dir.resolve("nope"), "app", out)).isEqualTo(RulesTool.ERROR);
        assertThat(output()).contains("nope: does not exist; give the folder that holds the rule files");
    }

    @Test
    void testPassesAndReportsEachCase() throws IOException {
        Files.writeString(dir.resolve("todos.test.yaml"), """
        table: public.todos
        cases:
          - name: owner reads, note hidden
            auth: {sub: alice}
            row: {id: 1, owner_id: alice, internal_note: x}
            expect: allow
            visible: [id, owner_id]
          - name: stranger denied
            auth: {sub: bob}
            row: {id: 1, owner_id: alice}
            expect: deny
        """);
        assertThat(RulesTool.test(dir, "app", out)).as(output()).isEqualTo(RulesTool.OK);
        assertThat(output())
                .contains("PASS " + dir.resolve("todos.test.yaml") + ":3:5  owner reads, note hidden")
                .contains("2 cases in 1 test file: 2 passed, 0 failed");
    }

    @Test
    void aFailingCasePrintsTheRuleTheInputsAndWhatItGot() throws IOException {
        Files.writeString(dir.resolve("todos.test.yaml"), """
        table: public.todos
        cases:
          - name: admins see the note
            auth: {sub: carol, role: Admin}
            row: {id: 1, owner_id: alice, internal_note: x}
            expect: allow
            hidden: []
        """);
        assertThat(RulesTool.test(dir, "app", out)).isEqualTo(RulesTool.FAILED);
        assertThat(output())
                .contains("FAIL " + dir.resolve("todos.test.yaml") + ":3:5  admins see the note")
                .contains("expected: allow, hidden []")
                .contains("got:      deny")
                .contains("rule:     " + dir.resolve("todos.yaml")
                        + ":1:8  read: row.owner_id == auth.sub || auth.role == 'admin'")
                .contains("field internal_note: auth.role == 'admin'")
                .contains("auth:     {sub=carol, role=Admin}")
                .contains("row:      {id=1, owner_id=alice, internal_note=x}")
                .contains("false   auth.role == 'admin'   where auth.role = \"Admin\"")
                .contains("1 case in 1 test file: 0 passed, 1 failed");
    }

    @Test
    void brokenTestFilesFailWithTheirPlace() throws IOException {
        Files.writeString(dir.resolve("todos.test.yaml"), """
        table: public.todos
        cases:
          - name: typo
            auth: {sub: alice}
            rows: {id: 1}
            expect: alow
        """);
        assertThat(RulesTool.test(dir, "app", out)).isEqualTo(RulesTool.FAILED);
        Path file = dir.resolve("todos.test.yaml");
        assertThat(output())
                .contains(file + ":5:5: unknown key 'rows'; did you mean 'row'?")
                .contains(file + ":3:5: 'row' must be a mapping of column to value")
                .contains(file + ":6:13: 'expect' must be allow or deny");
    }

    @Test
    void testRefusesToRunOnRulesThatDoNotLoad() throws IOException {
        Files.writeString(dir.resolve("todos.yaml"), "table: public.todos\nread: \"row.x ==\"\n");
        assertThat(RulesTool.test(dir, "app", out)).isEqualTo(RulesTool.ERROR);
        assertThat(output()).contains("do not load (1 problem); fix them first");
    }

    @Test
    void aTableWithoutRuleIsReportedAsDefaultDeny() throws IOException {
        Files.writeString(dir.resolve("other.test.yaml"), """
        table: public.other
        cases:
          - {name: readable, auth: {sub: a}, row: {id: 1}, expect: allow}
        """);
        assertThat(RulesTool.test(dir, "app", out)).isEqualTo(RulesTool.FAILED);
        assertThat(output()).contains("rule:     none covers app/public.other (default deny)");
    }

    @Test
    void explainPrintsTheDecisionAndExitsWithIt() {
        int allowed = RulesTool.explain(
                dir, "app", "public.todos", "{sub: alice}", "{owner_id: alice, internal_note: x}", out);
        assertThat(allowed).isEqualTo(RulesTool.OK);
        assertThat(output()).startsWith("app/public.todos: ALLOWED").contains("internal_note: hidden");
        int denied = RulesTool.explain(dir, "app", "app/public.todos", "null", "{\"owner_id\": \"alice\"}", out);
        assertThat(denied).isEqualTo(RulesTool.FAILED);
        assertThat(output()).contains("app/public.todos: DENIED");
    }

    @Test
    void explainRejectsBadArguments() {
        assertThat(RulesTool.explain(dir, "app", "public.todos", "{sub: [", "{id: 1}", out))
                .isEqualTo(RulesTool.ERROR);
        assertThat(output()).contains("--auth:").contains("invalid YAML");
        assertThat(RulesTool.explain(dir, "app", "app/", null, "{id: 1}", out)).isEqualTo(RulesTool.ERROR);
        assertThat(RulesTool.explain(dir, null, "public.todos", null, "{id: 1}", out))
                .isEqualTo(RulesTool.ERROR);
        assertThat(RulesTool.explain(dir, "app", "public.todos", null, null, out))
                .isEqualTo(RulesTool.ERROR);
        assertThat(output()).contains("give the row to judge");
    }

    private void chatRule() throws IOException {
        Files.writeString(dir.resolve("messages.yaml"), """
        table: public.messages
        lookups:
          member: {table: public.memberships, key: [group_id, user_id]}
        read: "exists(member, row.group_id, auth.sub)"
        """);
    }

    @Test
    void ruleTestsGiveLookupRowsAndAFailureShowsThemAndWhatTheLookupFound() throws IOException {
        chatRule();
        Files.writeString(dir.resolve("messages.test.yaml"), """
        table: public.messages
        lookups:
          member: [{group_id: 1, user_id: bob}]
        cases:
          - {name: a member reads, auth: {sub: bob}, row: {id: 1, group_id: 1}, expect: allow}
          - {name: no rows given, auth: {sub: bob}, row: {id: 1, group_id: 1}, lookups: {member: []}, expect: deny}
          - {name: wrongly expected, auth: {sub: carol}, row: {id: 1, group_id: 1}, expect: allow}
          - {name: unknown lookup, auth: {sub: bob}, row: {id: 1, group_id: 1}, lookups: {membr: []}, expect: deny}
        """);
        assertThat(RulesTool.test(dir, "app", out)).isEqualTo(RulesTool.FAILED);
        assertThat(output())
                .contains("lookup:   member [{group_id=1, user_id=bob}]")
                .contains("exists(member, row.group_id, auth.sub) = no row of app/public.memberships with group_id = 1,"
                        + " user_id = \"carol\"")
                .contains("the case gives rows for lookup 'membr', but the rule at")
                .contains("declares only member");
    }

    @Test
    void explainTakesLookupRows() throws IOException {
        chatRule();
        assertThat(RulesTool.explain(
                        dir,
                        "app",
                        "public.messages",
                        "{sub: bob}",
                        "{group_id: 1}",
                        "{member: [{group_id: 1, user_id: bob}]}",
                        out))
                .isEqualTo(RulesTool.OK);
        assertThat(output()).contains("1 row of app/public.memberships with group_id = 1, user_id = \"bob\"");
        assertThat(RulesTool.explain(dir, "app", "public.messages", "{sub: bob}", "{group_id: 1}", "{membr: []}", out))
                .isEqualTo(RulesTool.ERROR);
        assertThat(output()).contains("--lookups: the rule for app/public.messages declares no lookup 'membr'");
    }
}
