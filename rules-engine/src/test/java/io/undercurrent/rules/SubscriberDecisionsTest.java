package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RowCondition.Compare;
import io.undercurrent.rules.RowCondition.Comparison;
import io.undercurrent.rules.RowCondition.IsNull;
import io.undercurrent.rules.RowCondition.Opaque;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the rules decide about a subscriber before any row is seen: which columns it may filter and
 * order by ({@code certainlyVisible}), whether it may read the table at all ({@code mayReadAny}), and
 * the read rule with the subscriber decided ({@code readCondition}).
 */
class SubscriberDecisionsTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final TableRef NO_RULE = new TableRef("app", "public.secrets");
    private static final Map<String, Object> ADMIN = Map.of("sub", "root", "role", "admin");
    private static final Map<String, Object> ALICE = Map.of("sub", "alice", "role", "user");
    private static final Map<String, Object> NO_ROLE = Map.of("sub", "bob");

    @TempDir
    Path dir;

    private RuleSet load(String read, String... masks) throws Exception {
        StringBuilder yaml = new StringBuilder("table: public.todos\nread: \"" + read + "\"\n");
        if (masks.length > 0) {
            yaml.append("fields:\n");
            for (int i = 0; i < masks.length; i += 2) {
                yaml.append("  ")
                        .append(masks[i])
                        .append(": \"")
                        .append(masks[i + 1])
                        .append("\"\n");
            }
        }
        Files.writeString(dir.resolve("todos.yaml"), yaml.toString());
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), new RulesListener() {})) {
            return engine.current();
        }
    }

    @Test
    void theClaimsARuleReadsAreNamedByTheirTopLevelNameInReadAndMasks() throws Exception {
        RuleSet rules = load(
                "auth != null && (row.owner_id == auth.sub || contains(auth.groups, 'staff'))",
                "internal_note",
                "auth.org.tier == 'gold' || auth['role'] == 'admin'",
                "title",
                "auth == null || row.done == true");

        assertThat(rules.claimsRead(TODOS)).containsExactlyInAnyOrder("sub", "groups", "org", "role");
        assertThat(rules.claimsRead(NO_RULE)).isEmpty();
        assertThat(load("row.done == true").claimsRead(TODOS)).isEmpty();
    }

    @Test
    void aMaskedColumnIsCertainlyVisibleOnlyWhenItsMaskIgnoresTheRowAndTimeAndHoldsForTheSubscriber() throws Exception {
        RuleSet rules = load(
                "row.owner_id == auth.sub || auth.role == 'admin'",
                "internal_note",
                "auth.role == 'admin'",
                "owner_email",
                "row.owner_id == auth.sub",
                "promo",
                "now > 0",
                "ratio",
                "auth.n / auth.d > 0");

        assertThat(rules.certainlyVisible(TODOS, ADMIN, "internal_note")).isTrue();
        assertThat(rules.certainlyVisible(TODOS, ALICE, "internal_note")).isFalse();
        assertThat(rules.certainlyVisible(TODOS, NO_ROLE, "internal_note"))
                .as("unknown is not true")
                .isFalse();
        assertThat(rules.certainlyVisible(TODOS, null, "internal_note")).isFalse();

        assertThat(rules.certainlyVisible(TODOS, ALICE, "owner_email"))
                .as("depends on the row")
                .isFalse();
        assertThat(rules.certainlyVisible(TODOS, ADMIN, "promo"))
                .as("depends on the time")
                .isFalse();
        assertThat(rules.certainlyVisible(TODOS, Map.of("n", 1L, "d", 0L), "ratio"))
                .as("fails: not true")
                .isFalse();
        assertThat(rules.certainlyVisible(TODOS, Map.of("n", 1L, "d", 2L), "ratio"))
                .isTrue();

        assertThat(rules.certainlyVisible(TODOS, null, "title")).as("unmasked").isTrue();
        assertThat(rules.certainlyVisible(TODOS, ALICE, "no_such_column"))
                .as("unmasked")
                .isTrue();
        assertThat(rules.certainlyVisible(NO_RULE, ADMIN, "id"))
                .as("no rule: nothing is visible")
                .isFalse();
    }

    @Test
    void aSubscriberMayReadNothingWhenTheReadRuleCannotBeTrueForItWhateverTheRowAndTime() throws Exception {
        RuleSet projects = load("auth != null && (row.visibility == 'public' || row.owner_id == auth.sub)");
        assertThat(projects.mayReadAny(TODOS, null)).isFalse();
        assertThat(projects.mayReadAny(TODOS, NO_ROLE)).isTrue();
        assertThat(projects.mayReadAny(NO_RULE, ADMIN)).isFalse();

        RuleSet adminsOnly = load("auth.role == 'admin'");
        assertThat(adminsOnly.mayReadAny(TODOS, ADMIN)).isTrue();
        assertThat(adminsOnly.mayReadAny(TODOS, ALICE)).isFalse();
        assertThat(adminsOnly.mayReadAny(TODOS, NO_ROLE)).isFalse();

        RuleSet owners = load("row.owner_id == auth.sub || auth.role == 'admin'");
        assertThat(owners.mayReadAny(TODOS, null))
                .as("null compared with a column is never true")
                .isFalse();
        assertThat(owners.mayReadAny(TODOS, NO_ROLE)).isTrue();

        assertThat(load("now > 1700000000000 && auth.role == 'user'").mayReadAny(TODOS, ALICE))
                .isTrue();
        assertThat(load("now > 1700000000000 && auth.role == 'user'").mayReadAny(TODOS, ADMIN))
                .isFalse();
        assertThat(load("startsWith(row.path, '/public/')").mayReadAny(TODOS, null))
                .isTrue();
    }

    @Test
    void theReadRuleWithTheSubscriberDecidedIsAConditionOnTheRowAlone() throws Exception {
        RuleSet owners = load("row.owner_id == auth.sub || auth.role == 'admin'");
        assertThat(owners.readCondition(TODOS, ALICE, 0)).isEqualTo(new Compare("owner_id", Comparison.EQ, "alice"));
        assertThat(owners.readCondition(TODOS, ADMIN, 0)).isEqualTo(RowCondition.TRUE);
        assertThat(owners.readCondition(TODOS, null, 0)).isEqualTo(RowCondition.FALSE);
        assertThat(owners.readCondition(NO_RULE, ADMIN, 0)).isEqualTo(RowCondition.FALSE);

        Map<String, Object> level = Map.of(
                "level",
                2L,
                "teams",
                Arrays.asList(7L, "x", null, List.of(1L)),
                "projects",
                Map.of("p1", true, "p2", false),
                "a",
                1L,
                "b",
                0L);
        assertThat(load("row.n > auth.level + 1").readCondition(TODOS, level, 0))
                .isEqualTo(new Compare("n", Comparison.GT, 3L));
        assertThat(load("3.50 < row.n").readCondition(TODOS, level, 0))
                .as("sides swapped, numbers normalised")
                .isEqualTo(new Compare("n", Comparison.GT, new BigDecimal("3.50")));
        assertThat(load("!(row.n >= 5)").readCondition(TODOS, level, 0)).isEqualTo(new Compare("n", Comparison.LT, 5L));
        assertThat(load("!(row.status in ['a', 'b'])").readCondition(TODOS, level, 0))
                .isEqualTo(new RowCondition.And(
                        List.of(new Compare("status", Comparison.NE, "a"), new Compare("status", Comparison.NE, "b"))));
        assertThat(load("row.team in auth.teams").readCondition(TODOS, level, 0))
                .as("null and list members can equal nothing")
                .isEqualTo(new RowCondition.Or(
                        List.of(new Compare("team", Comparison.EQ, 7L), new Compare("team", Comparison.EQ, "x"))));
        assertThat(load("!(row.team in auth.teams)").readCondition(TODOS, level, 0))
                .as("nothing is definitely different from null")
                .isEqualTo(RowCondition.FALSE);
        assertThat(((RowCondition.Or) load("auth.projects contains row.project").readCondition(TODOS, level, 0))
                        .operands())
                .containsExactlyInAnyOrder(
                        new Compare("project", Comparison.EQ, "p1"), new Compare("project", Comparison.EQ, "p2"));
        assertThat(load("row.deleted_at == null && !row.archived").readCondition(TODOS, level, 0))
                .isEqualTo(new RowCondition.And(
                        List.of(new IsNull("deleted_at", true), new Compare("archived", Comparison.EQ, false))));
        assertThat(load("row.expires_at > now").readCondition(TODOS, level, 1234))
                .isEqualTo(new Compare("expires_at", Comparison.GT, 1234L));
    }

    @Test
    void whatCannotBeWrittenAsAConditionStaysOpaque() throws Exception {
        assertThat(load("startsWith(row.path, '/x') || row.owner_id == auth.sub")
                        .readCondition(TODOS, ALICE, 0))
                .isEqualTo(new RowCondition.Or(List.of(
                        new Opaque("startsWith(row.path, '/x')"), new Compare("owner_id", Comparison.EQ, "alice"))));
        assertThat(load("!(row.a == row.b) && row.c == 1").readCondition(TODOS, ALICE, 0))
                .isEqualTo(new RowCondition.And(
                        List.of(new Opaque("!(row.a == row.b)"), new Compare("c", Comparison.EQ, 1L))));
        assertThat(load("row.n > auth.a / auth.b").readCondition(TODOS, Map.of("a", 1L, "b", 0L), 0))
                .as("fails at run time")
                .isEqualTo(new Opaque("row.n > auth.a / auth.b"));
        assertThat(load("row.meta.tier == 'gold' || row.title contains 'x'").readCondition(TODOS, ALICE, 0))
                .isInstanceOf(RowCondition.Or.class);
        assertThat(load("row.n > 0 && (now > 5 || row.x == 1)").readCondition(TODOS, ALICE, 10))
                .as("now known")
                .isEqualTo(new Compare("n", Comparison.GT, 0L));
    }

    @Test
    void unknownNeverGrantsNotEvenNegated() throws Exception {
        RuleSet rules = load("row.x == 1 || !(auth.role == 'admin')");
        assertThat(rules.readCondition(TODOS, NO_ROLE, 0)).isEqualTo(new Compare("x", Comparison.EQ, 1L));
        assertThat(rules.readCondition(TODOS, ALICE, 0)).isEqualTo(RowCondition.TRUE);
        Map<String, Object> nullSub = new HashMap<>();
        nullSub.put("sub", null);
        assertThat(load("row.owner_id != auth.sub").readCondition(TODOS, nullSub, 0))
                .isEqualTo(RowCondition.FALSE);
    }
}
