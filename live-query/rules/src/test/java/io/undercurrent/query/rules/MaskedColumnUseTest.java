package io.undercurrent.query.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.Schemas;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesListener;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live query may filter and order only by columns its subscriber can see on every row. */
class MaskedColumnUseTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final Map<String, Object> ADMIN = Map.of("sub", "root", "role", "admin");
    private static final Map<String, Object> USER = Map.of("sub", "alice", "role", "user");

    @TempDir
    static Path dir;

    static RuleSet rules;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("todos.yaml"), """
                table: public.todos
                read: "true"
                fields:
                  title: "auth.role == 'admin'"
                  score: "row.owner_id == 1"
                """);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), new RulesListener() {})) {
            rules = engine.current();
        }
    }

    private static MaskedColumnUse find(String frame, Map<String, Object> auth) {
        return MaskedColumnUse.find(Schemas.parse(frame), rules, TODOS, auth);
    }

    @Test
    void everyUseOfAHiddenColumnInWhereOrOrderByIsFound() {
        assertThat(find("{'table':'public.todos','where':{'title':{'eq':'x'}}}", USER))
                .isEqualTo(new MaskedColumnUse("title", "where"));
        assertThat(find(
                        "{'table':'public.todos','where':{'done':{'eq':true},'or':[{'id':{'gt':1}},"
                                + "{'not':{'title':{'isNull':true}}}]}}",
                        USER))
                .isEqualTo(new MaskedColumnUse("title", "where"));
        assertThat(find("{'table':'public.todos','where':{'title':{'in':['a','b']}}}", null))
                .isEqualTo(new MaskedColumnUse("title", "where"));
        assertThat(find("{'table':'public.todos','orderBy':[['id','asc'],['title','desc']],'limit':1}", USER))
                .isEqualTo(new MaskedColumnUse("title", "orderBy"));
        assertThat(find("{'table':'public.todos','where':{'score':{'gte':1}}}", ADMIN))
                .as("a mask that reads the row is not certain for anyone")
                .isEqualTo(new MaskedColumnUse("score", "where"));
    }

    @Test
    void unmaskedColumnsVisibleMasksAndFieldsAreFine() {
        assertThat(find("{'table':'public.todos','where':{'title':{'eq':'x'}},'orderBy':['title']}", ADMIN))
                .isNull();
        assertThat(find(
                        "{'table':'public.todos','where':{'done':{'eq':true}},'orderBy':['id'],"
                                + "'fields':['title','score']}",
                        USER))
                .isNull();
        assertThat(find("{'table':'public.todos'}", null)).isNull();
    }

    @Test
    void theMessageNamesTheColumnAndWhatToDo() {
        assertThat(new MaskedColumnUse("title", "where").message())
                .contains("\"title\"", "where", "filter and order only by fields the subscriber can read");
    }
}
