package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.Explanation.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explain says which rule and which parts and masks decided, with the values they saw. */
class ExplainTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");

    @TempDir
    Path dir;

    private RuleSet rules;

    @BeforeEach
    void load() throws IOException, RulesException {
        Files.writeString(dir.resolve("todos.yaml"), """
        table: public.todos
        read: "row.owner_id == auth.sub || auth.role == 'admin' || row.total / row.count > 10"
        fields:
          internal_note: "auth.role == 'admin'"
          title: "!(auth.banned == true)"
        """);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), null)) {
            rules = engine.current();
        }
    }

    @Test
    void judgesEachPartWithItsInputs() {
        Explanation explanation = rules.explain(
                TODOS, Map.of("sub", "bob", "banned", false), Map.of("owner_id", "alice", "total", 5L, "count", 0L), 0);

        assertThat(explanation.allowed()).isFalse();
        assertThat(explanation.rule()).isEqualTo(dir.resolve("todos.yaml") + ":1:8");
        assertThat(explanation.read()).isEqualTo(Verdict.ERROR);
        assertThat(explanation.parts())
                .extracting(Explanation.Part::expression, Explanation.Part::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("row.owner_id == auth.sub", Verdict.FALSE),
                        org.assertj.core.groups.Tuple.tuple("auth.role == 'admin'", Verdict.UNKNOWN),
                        org.assertj.core.groups.Tuple.tuple("row.total / row.count > 10", Verdict.ERROR));
        assertThat(explanation.parts().get(0).inputs())
                .containsExactly(Map.entry("row.owner_id", "alice"), Map.entry("auth.sub", "bob"));
        assertThat(explanation.parts().get(1).inputs()).containsEntry("auth.role", null);
        assertThat(explanation.parts().get(2).detail()).isEqualTo("division by zero");
        assertThat(explanation.fields())
                .extracting(Explanation.Field::column, Explanation.Field::verdict, Explanation.Field::visible)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("internal_note", Verdict.UNKNOWN, false),
                        org.assertj.core.groups.Tuple.tuple("title", Verdict.TRUE, false));
        assertThat(explanation.toString())
                .contains("app/public.todos: DENIED")
                .contains("false   row.owner_id == auth.sub   where row.owner_id = \"alice\", auth.sub = \"bob\"")
                .contains("unknown auth.role == 'admin'   where auth.role = (missing)")
                .contains("error   row.total / row.count > 10  [division by zero]")
                .contains("fields (nothing is sent: the row is denied)");
    }

    @Test
    void agreesWithAccess() {
        List<Map<String, Object>> claims = List.of(
                Map.of("sub", "alice"),
                Map.of("sub", "bob", "role", "admin"),
                Map.of("sub", "bob", "banned", true),
                Map.of());
        for (Map<String, Object> auth : claims) {
            Map<String, Object> row = Map.of("owner_id", "alice", "total", 50L, "count", 2L, "title", "t");
            Access access = rules.access(TODOS, auth, row, 0);
            Explanation explanation = rules.explain(TODOS, auth, row, 0);
            assertThat(explanation.allowed()).as("%s", auth).isEqualTo(access.allowed());
            for (Explanation.Field field : explanation.fields()) {
                assertThat(field.visible())
                        .as("%s %s", auth, field.column())
                        .isEqualTo(access.fieldVisible(field.column()));
            }
        }
    }

    @Test
    void aTableWithoutRuleIsDefaultDeny() {
        Explanation explanation = rules.explain(new TableRef("app", "public.secrets"), Map.of("sub", "a"), Map.of(), 0);
        assertThat(explanation.allowed()).isFalse();
        assertThat(explanation.rule()).isNull();
        assertThat(explanation.toString()).contains("no rule covers this table: nobody may read it (default deny)");
    }

    @Test
    void explainDoesNotCountAsARuntimeError() throws RulesException {
        rules.explain(TODOS, null, Map.of("total", 1L, "count", 0L), 0);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), null)) {
            engine.current().explain(TODOS, null, Map.of("total", 1L, "count", 0L), 0);
            assertThat(engine.status().runtimeErrors()).isEmpty();
            engine.current().access(TODOS, null, Map.of("total", 1L, "count", 0L), 0);
            assertThat(engine.status().runtimeErrors()).containsExactly(Map.entry(TODOS, 1L));
        }
    }
}
