package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesListener;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the edge refuses before reading a table's schema, once a query is parsed, and when a query starts over. */
class QueryAccessTest {

    /** How PostgreSQL's reader qualifies a table name (SourceReader.qualify): without a schema, public. */
    private static final UnaryOperator<String> POSTGRES_NAMES =
            table -> table.indexOf('.') < 0 ? "public." + table : table;

    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("owner_id", ColumnType.TEXT, "text"),
                    new TableSchema.Column("internal_note", ColumnType.TEXT, "text")),
            List.of("id"));
    private static final Map<String, Object> ALICE = Map.of("sub", "alice", "role", "user");
    private static final Map<String, Object> ADMIN = Map.of("sub", "root", "role", "admin");

    @TempDir
    static Path dir;

    static RuleSet rules;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                table: public.todos
                read: "row.owner_id == auth.sub || auth.role == 'admin'"
                fields:
                  internal_note: "auth.role == 'admin'"
                ---
                table: public.projects
                read: "auth != null && row.visibility == 'public'"
                """);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), new RulesListener() {})) {
            rules = engine.current();
        }
    }

    private static LiveQuery query(String frame) throws Exception {
        return new LiveQueryParser().parse(new ObjectMapper().readTree(frame.replace('\'', '"')), SCHEMA);
    }

    @Test
    void aTableTheCallerMayNotReadIsRefusedAlikeWhetherOrNotItExists() {
        String noRule = QueryAccess.tableRefusal(rules, "app", "public.secrets", POSTGRES_NAMES, ALICE);
        assertThat(noRule).contains("app:public.secrets");
        assertThat(QueryAccess.tableRefusal(rules, "app", "public.nope", POSTGRES_NAMES, ALICE))
                .isEqualTo(noRule.replace("secrets", "nope"));
        assertThat(QueryAccess.tableRefusal(rules, "app", "public.projects", POSTGRES_NAMES, null))
                .as("auth != null && ...")
                .isNotNull();
        assertThat(QueryAccess.tableRefusal(rules, "app", "todos", POSTGRES_NAMES, null))
                .as("owner_id == null is never true")
                .isNotNull();
        assertThat(QueryAccess.tableRefusal(rules, "other", "public.todos", POSTGRES_NAMES, ADMIN))
                .as("rules are per source")
                .isNotNull();
        assertThat(QueryAccess.tableRefusal(rules, "app", " ", POSTGRES_NAMES, ADMIN))
                .isNotNull();
        assertThat(QueryAccess.tableRefusal(rules, "", "public.todos", POSTGRES_NAMES, ADMIN))
                .isNotNull();

        assertThat(QueryAccess.tableRefusal(rules, "app", "todos", POSTGRES_NAMES, ALICE))
                .as("unqualified means public")
                .isNull();
        assertThat(QueryAccess.tableRefusal(rules, "app", "public.projects", POSTGRES_NAMES, ALICE))
                .isNull();
    }

    @Test
    void aQueryOnAHiddenFieldIsRefusedAtOnceAndWhenItStartsOver() throws Exception {
        LiveQuery probe = query("{'table':'public.todos','where':{'internal_note':{'eq':'x'}}}");
        assertThat(QueryAccess.queryRefusal(rules, TODOS, probe, ALICE)).contains("\"internal_note\"");
        assertThat(QueryAccess.queryRefusal(rules, TODOS, probe, ADMIN)).isNull();
        assertThat(QueryAccess.restartRefusal(rules, TODOS, probe, ALICE)).contains("\"internal_note\"");
        assertThat(QueryAccess.restartRefusal(rules, TODOS, probe, ADMIN)).isNull();

        LiveQuery plain = query("{'table':'public.todos','fields':['internal_note']}");
        assertThat(QueryAccess.restartRefusal(rules, TODOS, plain, ALICE)).isNull();
        assertThat(QueryAccess.restartRefusal(rules, TODOS, plain, null)).contains("no longer");
        assertThat(QueryAccess.restartRefusal(rules, new TableRef("app", "public.gone"), plain, ADMIN))
                .contains("was removed");
    }
}
