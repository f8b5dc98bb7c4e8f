package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules that look rows up in other tables: exists(...), lookup(...), fed through the LookupStore. */
class LookupRulesTest {

    private static final TableRef MESSAGES = new TableRef("app", "public.messages");
    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");
    private static final Map<String, Object> MESSAGE =
            Map.of("id", 10L, "group_id", 1L, "body", "hi", "author_email", "a@x");

    @TempDir
    Path dir;

    private LookupStore store;
    private RulesEngine engine;

    @BeforeEach
    void load() throws IOException, RulesException {
        Files.writeString(dir.resolve("messages.yaml"), """
        table: public.messages
        lookups:
          member:
            table: public.memberships
            key: [group_id, user_id]
          blocked:
            table: public.blocks
            key: user_id
        read: "exists(member, row.group_id, auth.sub) && !exists(blocked, auth.sub)"
        fields:
          author_email: "lookup(member, row.group_id, auth.sub).role == 'owner'"
        """);
        store = new LookupStore(LookupLimits.DEFAULT);
        engine = RulesEngine.start(new RulesOptions(dir, "app", false).withLookups(store), null);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        engine.close();
    }

    private void membership(long id, long group, String user, String role) {
        store.upsert(MEMBERSHIPS, Map.of("id", id), Map.of("id", id, "group_id", group, "user_id", user, "role", role));
    }

    private Access access(String sub, Map<String, ?> row) {
        return engine.current().access(MESSAGES, Map.of("sub", sub), row, 0);
    }

    private void everythingLoaded() {
        store.tables().forEach(store::ready);
    }

    @Test
    void theEngineDeclaresTheRulesLookupsToTheStore() {
        assertThat(engine.current().lookups())
                .containsExactlyInAnyOrder(
                        new LookupIndex(MEMBERSHIPS, List.of("group_id", "user_id")),
                        new LookupIndex(new TableRef("app", "public.blocks"), List.of("user_id")));
        assertThat(store.tables()).containsExactlyInAnyOrder(MEMBERSHIPS, new TableRef("app", "public.blocks"));
    }

    @Test
    void theRulesSayWhichKeyColumnsTakeTheSubscribersClaimsAndWhichTablesTheyLookUp() {
        TableRef blocks = new TableRef("app", "public.blocks");
        assertThat(engine.current().lookupBindings(MESSAGES))
                .containsExactlyInAnyOrder(
                        new LookupBinding(MEMBERSHIPS, Map.of("user_id", "sub")),
                        new LookupBinding(blocks, Map.of("user_id", "sub")));
        assertThat(engine.current().lookedUpBy(MESSAGES)).containsExactlyInAnyOrder(MEMBERSHIPS, blocks);
        assertThat(engine.current().lookupBindings(new TableRef("app", "public.other")))
                .isEmpty();
    }

    @Test
    void membersReadAndOwnersSeeTheMaskedField() {
        membership(1, 1, "alice", "owner");
        membership(2, 1, "bob", "member");
        everythingLoaded();

        assertThat(access("alice", MESSAGE).allowed()).isTrue();
        assertThat(access("alice", MESSAGE).fieldVisible("author_email")).isTrue();
        assertThat(access("bob", MESSAGE).allowed()).isTrue();
        assertThat(access("bob", MESSAGE).fieldVisible("author_email")).isFalse();
        assertThat(access("carol", MESSAGE).allowed()).isFalse();
    }

    @Test
    void changesToTheLookedUpTableApplyAtOnce() {
        membership(2, 1, "bob", "member");
        everythingLoaded();
        assertThat(access("bob", MESSAGE).allowed()).isTrue();

        membership(2, 2, "bob", "member"); // moved to another group: the old key must stop matching
        assertThat(access("bob", MESSAGE).allowed()).isFalse();
        assertThat(access("bob", Map.of("id", 11L, "group_id", 2L)).allowed()).isTrue();

        store.delete(MEMBERSHIPS, Map.of("id", 2L));
        assertThat(access("bob", Map.of("id", 11L, "group_id", 2L)).allowed()).isFalse();
        assertThat(store.rowCount(MEMBERSHIPS)).isZero();
        assertThat(store.estimatedBytes()).isZero();
    }

    @Test
    void negatedExistsGrantsOnlyWhenTheRowIsDefinitelyAbsent() {
        membership(2, 1, "bob", "member");
        everythingLoaded();
        assertThat(access("bob", MESSAGE).allowed()).isTrue();

        store.upsert(new TableRef("app", "public.blocks"), Map.of("user_id", "bob"), Map.of("user_id", "bob"));
        assertThat(access("bob", MESSAGE).allowed()).isFalse();
    }

    @Test
    void aTableStillLoadingDeniesEvenThroughNegation() {
        membership(2, 1, "bob", "member");
        store.ready(MEMBERSHIPS); // public.blocks is still loading: !exists(blocked, ...) must not grant

        assertThat(access("bob", MESSAGE).allowed()).isFalse();
        assertThat(engine.status().runtimeErrors()).containsKey(MESSAGES);
        assertThat(engine.current()
                        .explain(MESSAGES, Map.of("sub", "bob"), MESSAGE, 0)
                        .toString())
                .contains("lookup blocked unavailable: app/public.blocks is still being loaded for lookups");
    }

    @Test
    void nullKeysAndKindsThatCannotMatchAreUnknown() {
        membership(2, 1, "bob", "member");
        everythingLoaded();

        assertThat(access("bob", Map.of("id", 10L, "group_id", "1")).allowed()).isFalse();
        java.util.HashMap<String, Object> noGroup = new java.util.HashMap<>(MESSAGE);
        noGroup.put("group_id", null);
        assertThat(access("bob", noGroup).allowed()).isFalse();
        assertThat(engine.current().access(MESSAGES, null, MESSAGE, 0).allowed())
                .isFalse();
        // Numbers match by value, whatever their form.
        assertThat(access("bob", Map.of("id", 10L, "group_id", new java.math.BigDecimal("1.00")))
                        .allowed())
                .isTrue();
    }

    @Test
    void lookupIsNullWhenSeveralRowsShareTheKey() {
        membership(1, 1, "alice", "owner");
        membership(3, 1, "alice", "owner"); // a duplicate: which row would lookup(...) be?
        everythingLoaded();

        assertThat(access("alice", MESSAGE).allowed()).isTrue();
        assertThat(access("alice", MESSAGE).fieldVisible("author_email")).isFalse();
        assertThat(engine.current()
                        .explain(MESSAGES, Map.of("sub", "alice"), MESSAGE, 0)
                        .toString())
                .contains("2 rows of app/public.memberships with group_id = 1, user_id = \"alice\"");
    }

    @Test
    void explainSaysWhichLookupDecided() {
        membership(1, 1, "alice", "owner");
        everythingLoaded();

        Explanation explanation = engine.current().explain(MESSAGES, Map.of("sub", "carol"), MESSAGE, 0);
        assertThat(explanation.allowed()).isFalse();
        assertThat(explanation.parts().get(0).inputs().get("exists(member, row.group_id, auth.sub)"))
                .isInstanceOfSatisfying(Explanation.LookupFound.class, found -> {
                    assertThat(found.name()).isEqualTo("member");
                    assertThat(found.rows()).isZero();
                    assertThat(found.key()).containsExactly(1L, "carol");
                });
        assertThat(explanation.toString())
                .contains("false   exists(member, row.group_id, auth.sub)")
                .contains("no row of app/public.memberships with group_id = 1, user_id = \"carol\"");
        assertThat(engine.current()
                        .explain(MESSAGES, Map.of("sub", "alice"), MESSAGE, 0)
                        .toString())
                .contains("1 row of app/public.memberships with group_id = 1, user_id = \"alice\": {")
                .contains("role=owner");
    }

    @Test
    void lookupsAreNeverDecidedAheadOfTheRows() {
        membership(1, 1, "alice", "owner");
        everythingLoaded();
        RuleSet rules = engine.current();

        // Membership changes over time: no subscriber is refused, or granted, before the rows are judged.
        assertThat(rules.mayReadAny(MESSAGES, Map.of("sub", "carol"))).isTrue();
        assertThat(rules.readCondition(MESSAGES, Map.of("sub", "carol"), 0))
                .isEqualTo(new RowCondition.And(List.of(
                        new RowCondition.Opaque("exists(member, row.group_id, auth.sub)"),
                        new RowCondition.Opaque("!(exists(blocked, auth.sub))"))));
        assertThat(rules.certainlyVisible(MESSAGES, Map.of("sub", "alice"), "author_email"))
                .isFalse();
    }

    @Test
    void theLookupDeclarationIsPartOfTheRulesVersion() throws IOException {
        String before = engine.current().version(MESSAGES);
        Files.writeString(
                dir.resolve("messages.yaml"),
                Files.readString(dir.resolve("messages.yaml"))
                        .replace("table: public.memberships", "table: public.group_members"));
        engine.reloadNow();
        assertThat(engine.current().version(MESSAGES)).isNotEqualTo(before);
        assertThat(store.tables())
                .contains(new TableRef("app", "public.group_members"))
                .doesNotContain(MEMBERSHIPS);
    }

    @Test
    void withoutAStoreEveryLookupDenies() throws RulesException {
        try (RulesEngine bare = RulesEngine.start(new RulesOptions(dir, "app", false), null)) {
            assertThat(bare.current()
                            .access(MESSAGES, Map.of("sub", "alice"), MESSAGE, 0)
                            .allowed())
                    .isFalse();
        }
    }

    @Test
    void aTableOverItsRowLimitIsRefusedByNameAndDeniesFromThenOn() {
        LookupStore small = new LookupStore(new LookupLimits(2, 1 << 20));
        small.declare(engine.current().lookups());
        RuleSet rules = engine.current().withLookups(small);
        small.upsert(MEMBERSHIPS, Map.of("id", 1L), Map.of("id", 1L, "group_id", 1L, "user_id", "bob"));
        small.upsert(MEMBERSHIPS, Map.of("id", 2L), Map.of("id", 2L, "group_id", 1L, "user_id", "carol"));
        small.tables().forEach(small::ready);
        assertThat(rules.access(MESSAGES, Map.of("sub", "bob"), MESSAGE, 0).allowed())
                .isTrue();

        assertThatThrownBy(() -> small.upsert(
                        MEMBERSHIPS, Map.of("id", 3L), Map.of("id", 3L, "group_id", 1L, "user_id", "dave")))
                .isInstanceOf(LookupLimitException.class)
                .hasMessageContaining("lookup table app/public.memberships")
                .hasMessageContaining("more than 2 rows")
                .hasMessageContaining(LookupLimits.MAX_ROWS_SETTING);
        assertThat(rules.access(MESSAGES, Map.of("sub", "bob"), MESSAGE, 0).allowed())
                .isFalse();
        assertThat(small.isReady(MEMBERSHIPS)).isFalse();
    }

    @Test
    void aStoreOverItsByteLimitNamesTheSetting() {
        LookupStore small = new LookupStore(new LookupLimits(1000, 1024));
        small.declare(engine.current().lookups());
        assertThatThrownBy(() -> {
                    for (long id = 0; id < 100; id++) {
                        small.upsert(
                                MEMBERSHIPS, Map.of("id", id), Map.of("id", id, "group_id", 1L, "user_id", "u" + id));
                    }
                })
                .isInstanceOf(LookupLimitException.class)
                .hasMessageContaining("app/public.memberships")
                .hasMessageContaining(LookupLimits.MAX_BYTES_SETTING + " (1024)");
        assertThat(small.estimatedBytes()).isZero();
    }
}
