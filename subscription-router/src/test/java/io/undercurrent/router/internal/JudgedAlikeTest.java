package io.undercurrent.router.internal;

import static io.undercurrent.router.internal.RoutedDeltas.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change is judged once per group of subscriptions that must receive the same delta, and never for
 * one subscriber on behalf of another whose claims the rules could tell apart.
 */
class JudgedAlikeTest {

    private static final String ALL = "{\"table\":\"public.todos\"}";

    @TempDir
    static Path dir;

    /** The owner reads a todo, admins read all; the note is for admins only. */
    static RuleSet rules;

    @BeforeAll
    static void load() {
        rules = RoutedDeltas.rules(dir, """
                read: "row.owner == auth.sub || auth.role == 'admin'"
                fields:
                  note: "auth.role == 'admin'"
                """);
    }

    private final RoutedDeltas router = new RoutedDeltas();

    private static SubscriptionId id(String connection) {
        return new SubscriptionId("e1", connection, "q");
    }

    private static Map<String, Object> todo(String owner, String title) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("owner", owner);
        row.put("team", "x");
        row.put("done", false);
        row.put("title", title);
        row.put("note", "secret");
        return row;
    }

    private static ChangeEvent insert(Map<String, Object> row) {
        return new ChangeEvent(
                1, "app", "public.todos", Operation.INSERT, Map.of("id", 1L), null, row, List.of(), "lsn:1", "7", 0, 0);
    }

    @Test
    void subscribersOfOneQueryWhomTheReadRuleTellsApartAreJudgedApart() {
        router.subscribe(id("alice"), claims("sub", "alice", "role", "user"), ALL);
        router.subscribe(id("bob"), claims("sub", "bob", "role", "user"), ALL);

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "a")), rules);

        assertThat(received).containsOnlyKeys(id("alice"));
        assertThat(received.get(id("alice")).get(0).op()).isEqualTo(DeltaOp.ADDED);
    }

    @Test
    void subscribersOfOneQueryWhomAFieldMaskTellsApartEachGetTheirOwnRow() {
        // Both may read alice's todo; only the admin may see its note.
        router.subscribe(id("admin"), claims("sub", "alice", "role", "admin"), ALL);
        router.subscribe(id("user"), claims("sub", "alice", "role", "user"), ALL);
        router.subscribe(id("admin2"), claims("sub", "alice", "role", "admin"), ALL);
        router.subscribe(id("user2"), claims("sub", "alice", "role", "user"), ALL);

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "a")), rules);

        assertThat(received.get(id("user")).get(0).row())
                .containsEntry("title", "a")
                .doesNotContainKey("note");
        assertThat(received.get(id("user2")).get(0).row()).doesNotContainKey("note");
        assertThat(received.get(id("admin")).get(0).row()).containsEntry("note", "secret");
        assertThat(received.get(id("admin2")).get(0).row()).containsEntry("note", "secret");
    }

    @Test
    void aFilterOnAFieldMaskedFromOneSubscriberMatchesNothingForHimOnly() {
        String byNote = "{\"table\":\"public.todos\",\"where\":{\"note\":{\"eq\":\"secret\"}}}";
        router.subscribe(id("user"), claims("sub", "alice", "role", "user"), byNote);
        router.subscribe(id("admin"), claims("sub", "alice", "role", "admin"), byNote);

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "a")), rules);

        assertThat(received).containsOnlyKeys(id("admin"));
    }

    @Test
    void subscribersWithTheSameQueryAndClaimsAreJudgedOnceAndShareOneDelta() {
        AtomicInteger judged = new AtomicInteger();
        RuleSet counting = new Counting(rules, judged);
        for (int i = 0; i < 50; i++) {
            router.subscribe(
                    new SubscriptionId(i % 2 == 0 ? "e1" : "e2", "c" + i, "q"),
                    claims("sub", "alice", "role", "user"),
                    i % 3 == 0 ? "{\"table\":\"public.todos\",\"orderBy\":[[\"title\",\"asc\"]],\"limit\":5}" : ALL);
        }
        router.subscribe(id("bob"), claims("sub", "bob", "role", "user"), ALL);

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "a")), rules);
        received = router.route(insert(todo("alice", "b")), counting);

        assertThat(received).hasSize(50).doesNotContainKey(id("bob"));
        assertThat(received.values()).allSatisfy(d -> assertThat(d.get(0).row()).containsEntry("title", "b"));
        // One judgment per group (alice unordered, alice ordered, bob), not one per subscription.
        assertThat(judged.get()).isEqualTo(3);
    }

    @Test
    void subscribersWhoseClaimsDifferOnlyWhereTheRuleDoesNotReadAreJudgedOnce() {
        AtomicInteger judged = new AtomicInteger();
        RuleSet counting = new Counting(rules, judged);
        for (int i = 0; i < 20; i++) {
            router.subscribe(id("c" + i), claims("sub", "alice", "role", "user", "iat", 1000L + i), ALL);
        }

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "a")), counting);

        assertThat(received).hasSize(20);
        assertThat(judged.get()).isEqualTo(1);
    }

    @Test
    void whenReloadedRulesReadAClaimTheyDidNotReadBeforeItsSubscribersAreJudgedApart() {
        router.subscribe(id("early"), claims("sub", "alice", "role", "user", "iat", 1L), ALL);
        router.subscribe(id("late"), claims("sub", "alice", "role", "user", "iat", 2L), ALL);
        assertThat(router.route(insert(todo("alice", "a")), rules)).hasSize(2);
        RuleSet byIssue = RoutedDeltas.rules(dir.resolve("reloaded"), """
                read: "row.owner == auth.sub"
                fields:
                  note: "auth.iat > 1"
                """);

        Map<SubscriptionId, List<Delta>> received = router.route(insert(todo("alice", "b")), byIssue);

        assertThat(received.get(id("early")).get(0).row()).doesNotContainKey("note");
        assertThat(received.get(id("late")).get(0).row()).containsEntry("note", "secret");
    }

    @Test
    void anonymousSubscribersAreNeverJudgedWithOthers() {
        RuleSet anyone = RoutedDeltas.rules(dir.resolve("anyone"), """
                read: "auth == null || auth.role == 'user'"
                """);
        router.subscribe(id("anonymous"), null, ALL);
        router.subscribe(id("without-role"), claims("sub", "x"), ALL);

        assertThat(router.route(insert(todo("alice", "a")), anyone)).containsOnlyKeys(id("anonymous"));
    }

    @Test
    void aSubscriptionLeavingItsGroupLeavesTheOthersServed() {
        router.subscribe(id("a"), claims("sub", "alice"), ALL);
        router.subscribe(id("b"), claims("sub", "alice"), ALL);
        router.index.remove(id("a"));

        assertThat(router.route(insert(todo("alice", "a")), rules)).containsOnlyKeys(id("b"));

        router.index.remove(id("b"));
        assertThat(router.index.forTable(RoutedDeltas.TODOS, rules)).isEmpty();
    }

    /** The rules, counting how often a row is judged. */
    private record Counting(RuleSet rules, AtomicInteger judged) implements RuleSet {
        @Override
        public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            judged.incrementAndGet();
            return rules.access(table, auth, row, nowMillis);
        }

        @Override
        public Set<String> claimsRead(TableRef table) {
            return rules.claimsRead(table);
        }

        @Override
        public boolean hasRule(TableRef table) {
            return rules.hasRule(table);
        }

        @Override
        public Set<TableRef> tables() {
            return rules.tables();
        }

        @Override
        public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            return rules.explain(table, auth, row, nowMillis);
        }

        @Override
        public String version(TableRef table) {
            return rules.version(table);
        }

        @Override
        public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
            return rules.certainlyVisible(table, auth, column);
        }

        @Override
        public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
            return rules.mayReadAny(table, auth);
        }

        @Override
        public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
            return rules.readCondition(table, auth, nowMillis);
        }
    }
}
