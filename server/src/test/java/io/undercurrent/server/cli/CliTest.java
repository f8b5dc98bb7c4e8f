package io.undercurrent.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as CI scripts use it: exit codes and what is printed. */
class CliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Test
    void theProjectsOwnRulesValidateAndTheirTestsPass() {
        assertThat(run("rules", "validate", "../rules")).isZero();
        assertThat(run("rules", "test", "../rules")).isZero();
    }

    @Test
    void aBrokenRuleFileFailsValidationWithFileLineAndColumn() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "table: public.todos\nread: \"row.owner_id == \"\n");
        assertThat(run("rules", "validate", dir.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("bad.yaml:2:");
    }

    @Test
    void aFailingRuleTestFailsTheCommand() throws Exception {
        Files.writeString(dir.resolve("todos.yaml"), "table: public.todos\nread: \"true\"\n");
        Files.writeString(dir.resolve("todos.test.yaml"), """
                table: public.todos
                cases:
                  - name: anonymous may not read
                    auth: null
                    row: {id: 1}
                    expect: deny
                """);
        assertThat(run("rules", "test", dir.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("anonymous may not read");
    }

    @Test
    void explainShowsWhichLookupDecidedAndExitsByTheVerdict() {
        String table = "public.messages";
        String row = "{id: 10, group_id: 1, author_id: alice, body: hello, author_email: a@example.com}";
        String members = "{member: [{id: 2, group_id: 1, user_id: bob, role: member}]}";

        assertThat(run(
                        "rules",
                        "explain",
                        "../rules",
                        "--table",
                        table,
                        "--auth",
                        "{sub: bob}",
                        "--row",
                        row,
                        "--lookups",
                        members))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 row of app/public.memberships");

        out.reset();
        assertThat(run(
                        "rules",
                        "explain",
                        "../rules",
                        "--table",
                        table,
                        "--auth",
                        "{sub: carol}",
                        "--row",
                        row,
                        "--lookups",
                        members))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("no row of app/public.memberships with group_id = 1, user_id = \"carol\"");
    }

    @Test
    void explainWithoutARowIsABadArgument() {
        assertThat(run("rules", "explain", "../rules", "--table", "public.messages", "--row", "[1, 2]"))
                .isEqualTo(2);
    }

    @Test
    void theConfigCommandPrintsTheReference() {
        assertThat(run("config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("UNDERCURRENT_JWT_SECRET");
    }

    @Test
    void anUnknownRoleIsABadSettingNotAStackTrace() {
        assertThat(run("run", "--role", "bogus")).isEqualTo(2);
    }

    @Test
    void runIsTheDefaultCommandForItsOptionsToo() {
        assertThat(Main.withDefaultCommand(new String[] {"--rules", "r", "--role", "edge"}))
                .containsExactly("run", "--rules", "r", "--role", "edge");
        assertThat(Main.withDefaultCommand(new String[0])).containsExactly("run");
        assertThat(Main.withDefaultCommand(new String[] {"--version"})).containsExactly("--version");
        assertThat(Main.withDefaultCommand(new String[] {"rules", "validate", "r"}))
                .containsExactly("rules", "validate", "r");
        PrintStream err = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            // Before, picocli refused "--role" as an unknown option of the executable; now run reads it.
            assertThat(Main.execute("--role", "bogus")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--role 'bogus' is invalid");
    }
}
