package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Writes rule files into a folder and loads them, for tests. */
final class TestRules {

    private TestRules() {}

    static void write(Path dir, String name, String yaml) {
        try {
            Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RulesLoader.Result load(Path dir) {
        return new RulesLoader("app", Set.of()).load(dir, null);
    }

    /** Loads one rule for app/public.todos with the given read expression (written in double quotes). */
    static LoadedRules read(Path dir, String read) {
        write(dir, "todos.yaml", "table: public.todos\nread: \"" + read + "\"\n");
        RulesLoader.Result result = load(dir);
        assertThat(result.problems()).as("problems of %s", read).isEmpty();
        return result.rules();
    }

    /** The problems of a rule with this read expression. */
    static List<RuleProblem> problems(Path dir, String read) {
        write(dir, "todos.yaml", "table: public.todos\nread: \"" + read + "\"\n");
        return load(dir).problems();
    }
}
