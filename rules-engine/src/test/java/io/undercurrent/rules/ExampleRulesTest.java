package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.internal.LoadedRules;
import io.undercurrent.rules.internal.RuleTests;
import io.undercurrent.rules.internal.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code *.test.yaml} case of the project's rules folder ({@code ../rules}, or the
 * {@code undercurrent.rules.dir} system property), one JUnit test per case, so that {@code mvn
 * verify} fails when a rule breaks its tests.
 */
class ExampleRulesTest {

    private static final Path RULES = Path.of(System.getProperty("undercurrent.rules.dir", "../rules"));

    @TestFactory
    Stream<DynamicTest> everyRuleTestCasePasses() throws IOException {
        RulesLoader.Result loaded = new RulesLoader("app", Set.of("app")).load(RULES, null);
        assertThat(loaded.problems()).as("problems in %s", RULES).isEmpty();
        LoadedRules rules = loaded.rules();
        RuleTests.Report report = RuleTests.run(RULES, rules, "app", System.currentTimeMillis());
        assertThat(report.problems()).as("problems in the test files").isEmpty();
        assertThat(report.results()).as("cases in %s", RULES).isNotEmpty();
        return report.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.testCase().location() + " " + result.testCase().name(),
                        () -> assertThat(result.failure())
                                .as(result.testCase().name())
                                .isNull()));
    }

    @Test
    void everyRuleFileHasTests() throws IOException {
        List<Path> rules = RulesLoader.ruleFiles(RULES);
        for (Path rule : rules) {
            String name = rule.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            assertThat(RulesLoader.testFiles(RULES))
                    .as("tests of %s", rule)
                    .anyMatch(test -> test.getFileName().toString().startsWith(name + ".test."));
        }
    }

    @Test
    void theCliReportsSuccess() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = RulesTool.test(RULES, "app", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(exit).as(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(RulesTool.OK);
        assertThat(RulesTool.validate(RULES, "app", new PrintStream(new ByteArrayOutputStream())))
                .isEqualTo(RulesTool.OK);
    }
}
