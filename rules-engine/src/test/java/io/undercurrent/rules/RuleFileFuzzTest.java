package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes loading a rule file through the public API: {@link RulesEngine#start} and
 * {@code RulesTool.validate} on a folder holding one file with the input's bytes. Every refusal must
 * be a {@link RulesException} whose problems name the file, a line (or 0 for the whole file) and a
 * reason without stack traces; both entry points must agree; rules that load must judge rows
 * without throwing. Never a hang.
 *
 * <p>The seeds, in {@code RuleFileFuzzTestInputs/ruleFile}, are rule files as an author writes them.
 */
class RuleFileFuzzTest {

    private static final Path DIR = tempFolder();
    private static final Path FILE = DIR.resolve("rules.yaml");
    private static final Pattern[] LEAKS = {
        Pattern.compile("\\n\\s*at [\\w$.]+\\("),
        Pattern.compile("Caused by:"),
        Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)\\b"),
        Pattern.compile("\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b"),
        Pattern.compile("\\b(?:java|javax|jdk|sun|org\\.yaml|org\\.mvel2|io\\.undercurrent)\\.[a-z]"),
        Pattern.compile("[\\w$]@[0-9a-f]{5,8}\\b"),
    };
    private static final List<Map<String, ?>> AUTHS = Arrays.asList(
            null, Map.of("sub", "alice", "role", "admin", "n", 3L, "groups", List.of("a", "b"), "tenant", "7"));
    private static final List<Map<String, ?>> ROWS = List.of(
            Map.of(),
            Map.of(
                    "id",
                    1L,
                    "owner_id",
                    "alice",
                    "title",
                    "milk",
                    "score",
                    new BigDecimal("12.50"),
                    "is_public",
                    true,
                    "meta",
                    Map.of("tier", "gold"),
                    "tags",
                    List.of("a"),
                    "created_at",
                    "2024-05-01T12:00:00.000000Z"),
            nullValues());

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({
        "source: ",
        "table: ",
        "read: ",
        "fields:",
        "description: ",
        "---",
        "public.todos",
        "app",
        "row.",
        "auth.",
        "now",
        "auth == null",
        "row.owner_id == auth.sub",
        "'admin'",
        "&&",
        "||",
        "!",
        "==",
        "!=",
        "<=",
        ">=",
        " in ",
        " contains ",
        "startsWith(",
        "endsWith(",
        "size(",
        "lower(",
        "upper(",
        "str(",
        "num(",
        "millis(",
        "[",
        "]",
        "(",
        ")",
        "\"",
        "'",
        "|",
        ">-",
        "{",
        "}",
        "&a ",
        "*a",
        "!!str ",
        "\\u0041",
        "/ 0",
        "% 0",
        "9223372036854775808",
        "1e400",
        "new ",
        "System.exit(1)",
        ";",
        "="
    })
    void ruleFile(byte[] input) throws IOException {
        Files.write(FILE, input);
        String text = new String(input, StandardCharsets.UTF_8);
        List<RuleProblem> problems;
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(DIR, "app", false), null)) {
            problems = List.of();
            judgeEverything(engine.current());
        } catch (RulesException e) {
            problems = e.problems();
            assertThat(problems).isNotEmpty();
            long lines = text.lines().count() + 1;
            for (RuleProblem problem : problems) {
                assertThat(problem.file()).isEqualTo(FILE);
                assertThat(problem.line()).isBetween(0, (int) lines);
                assertThat(problem.column()).isGreaterThanOrEqualTo(problem.line() == 0 ? 0 : 1);
                assertSafe(problem.message(), text);
            }
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RulesTool.validate(DIR, "app", new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(problems.isEmpty() ? RulesTool.OK : RulesTool.FAILED);
        String printed = out.toString(StandardCharsets.UTF_8);
        for (RuleProblem problem : problems) {
            assertThat(printed).contains(problem.toString());
        }
    }

    /** Judges sample rows with every loaded rule; {@code access} and {@code explain} never throw. */
    private static void judgeEverything(RuleSet rules) {
        for (TableRef table : rules.tables()) {
            assertThat(rules.hasRule(table)).isTrue();
            assertThat(rules.version(table)).isNotEqualTo("none");
            for (Map<String, ?> auth : AUTHS) {
                for (Map<String, ?> row : ROWS) {
                    Access access = rules.access(table, auth, row, 1_714_564_800_000L);
                    Explanation explanation = rules.explain(table, auth, row, 1_714_564_800_000L);
                    assertThat(explanation.allowed()).isEqualTo(access.allowed());
                    if (access.allowed()) {
                        access.project(row);
                    }
                }
            }
        }
    }

    private static void assertSafe(String message, String input) {
        assertThat(message).isNotBlank().hasSizeLessThanOrEqualTo(4_000);
        for (Pattern leak : LEAKS) {
            Matcher m = leak.matcher(message);
            while (m.find()) {
                assertThat(input).as("problem leaks %s: %s", m.group(), message).contains(m.group());
            }
        }
    }

    private static Map<String, ?> nullValues() {
        Map<String, Object> row = new HashMap<>();
        for (String column : List.of("id", "owner_id", "title", "score", "is_public", "meta", "tags", "created_at")) {
            row.put(column, null);
        }
        return row;
    }

    private static Path tempFolder() {
        try {
            Path dir = Files.createTempDirectory("rule-file-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
