package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routers and edges in different processes must agree on a rule's version exactly when its text agrees. */
class RuleVersionTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");

    @TempDir
    Path dir;

    private RuleSet load(String read, String mask) throws Exception {
        Files.writeString(
                dir.resolve("todos.yaml"),
                "table: public.todos\nread: \"" + read + "\"\nfields:\n  internal_note: \"" + mask + "\"\n");
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), new RulesListener() {})) {
            return engine.current();
        }
    }

    @Test
    void sameRuleSameVersionEditedRuleNewVersionNoRuleNone() throws Exception {
        String v1 = load("row.owner_id == auth.sub", "auth.role == 'admin'").version(TODOS);
        String again = load("row.owner_id == auth.sub", "auth.role == 'admin'").version(TODOS);
        String editedMask = load("row.owner_id == auth.sub", "false").version(TODOS);
        String editedRead = load("true", "auth.role == 'admin'").version(TODOS);

        assertThat(v1).isEqualTo(again).hasSize(16);
        assertThat(editedMask).isNotEqualTo(v1);
        assertThat(editedRead).isNotEqualTo(v1).isNotEqualTo(editedMask);
        assertThat(load("true", "true").version(new TableRef("app", "public.other")))
                .isEqualTo("none");
    }
}
