package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rules folder cannot make the server read, compose or hold megabytes: files past the size limit
 * are refused unread, and YAML past the depth or value limits (aliases counted as what they repeat)
 * is refused with a problem at the place it crosses the limit, like every other rule problem.
 */
class FileLimitsTest {

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
    void aFileOverTheSizeLimitIsRefusedWithoutBeingRead() throws IOException {
        StringBuilder padded = new StringBuilder("table: public.todos\nread: \"true\"\n");
        while (padded.length() <= 3 * 1024 * 1024) {
            padded.append("# a comment line to make the file large, as a generated or pasted file might be\n");
        }
        TestRules.write(dir, "big.yaml", padded.toString());
        try (RandomAccessFile huge =
                new RandomAccessFile(dir.resolve("huge.yaml").toFile(), "rw")) {
            huge.setLength(200L * 1024 * 1024); // sparse: costs nothing to make, 200 MB to read
        }
        long started = System.nanoTime();
        assertThat(problems())
                .containsExactly(
                        dir.resolve("big.yaml") + ": the file is " + Files.size(dir.resolve("big.yaml"))
                                + " bytes, more than the 1048576 (1 MiB) a rule or test file may have; split it into several files",
                        dir.resolve("huge.yaml")
                                + ": the file is 209715200 bytes, more than the 1048576 (1 MiB) a rule or test file may have;"
                                + " split it into several files");
        assertThat(System.nanoTime() - started)
                .as("refused without reading 200 MB")
                .isLessThan(2_000_000_000L);
    }

    @Test
    void manySmallDocumentsPastTheValueLimitAreRefusedWhereTheyCrossIt() {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            rules.append("---\ntable: public.t").append(i).append("\nread: \"true\"\n");
        }
        TestRules.write(dir, "many.yaml", rules.toString());
        // Each rule is 5 values (its mapping, two keys, two texts): the 10,001st opens rule 2,001, on line 6,002.
        assertThat(problems())
                .containsExactly(
                        at("many.yaml", 6_002, 1) + "the file holds more than 10000 YAML values from here on"
                                + " (aliases count as the values they repeat); a rule file holds a few rules: split it into several files");
    }

    @Test
    void deepNestingIsRefusedAtTheLevelThatCrossesTheLimit() {
        StringBuilder yaml = new StringBuilder("table: public.todos\nread: \"true\"\nfields:\n");
        for (int level = 1; level < 50; level++) {
            yaml.append("  ".repeat(level)).append("n").append(level).append(":\n");
        }
        yaml.append("  ".repeat(50)).append("x\n");
        TestRules.write(dir, "deep.yaml", yaml.toString());
        // The document's mapping is level 1 and the mapping of fields (at n1, line 4) level 2, so the
        // mapping at n40, on line 43, is level 41.
        assertThat(problems())
                .containsExactly(at("deep.yaml", 43, 81)
                        + "nested more than 40 levels deep; a rule is a flat mapping (table, read, fields)");
    }

    @Test
    void aliasesAreCountedAsTheValuesTheyRepeat() {
        String hundred = "x, ".repeat(99) + "x";
        TestRules.write(
                dir,
                "bomb.yaml",
                "table: public.todos\nread: \"true\"\ndescription:\n"
                        + "  a: &a [" + hundred + "]\n"
                        + "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n");
        // a holds 101 values, b 1,011, everything before c's *b 1,123: the 9th *b takes the file past 10,000.
        assertThat(problems())
                .containsExactly(
                        at("bomb.yaml", 6, 39) + "the file holds more than 10000 YAML values from here on"
                                + " (aliases count as the values they repeat); a rule file holds a few rules: split it into several files");
    }

    @Test
    void aValueThatContainsItselfIsRefused() {
        TestRules.write(dir, "loop.yaml", "table: public.todos\nread: \"true\"\ndescription: &d {again: *d}\n");
        assertThat(problems())
                .containsExactly(at("loop.yaml", 3, 25)
                        + "*d refers to a mapping or list that contains it; rule files cannot hold recursive values");
    }

    @Test
    void rulesWithinTheLimitsLoadAliasesIncluded() {
        StringBuilder yaml = new StringBuilder("table: public.todos\nread: &admin \"auth.role == 'admin'\"\nfields:\n"
                + "  internal_note: *admin\n  secret: *admin\ndescription:\n");
        for (int level = 1; level < 38; level++) {
            yaml.append("  ".repeat(level)).append("n").append(level).append(":\n");
        }
        yaml.append("  ".repeat(38)).append("deep but allowed\n");
        TestRules.write(dir, "todos.yaml", yaml.toString());
        assertThat(problems()).isEmpty();
    }
}
