package io.undercurrent.router.internal;

import static io.undercurrent.router.internal.RoutedDeltas.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.rules.RuleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judging a change once per group of alike subscriptions gives every subscription exactly what judging
 * it alone gives: random subscriptions (filters, fields, orders, limits, claims, edges), random rules
 * (read rules and field masks on claims and on the row) and random changes, the router's deliveries
 * against {@link DeltaComputer} run for each subscription on its own.
 */
class GroupedJudgmentDifferentialTest {

    private static final List<String> RULES = List.of("""
            read: "row.owner == auth.sub || auth.role == 'admin'"
            fields:
              note: "auth.role == 'admin'"
            """, """
            read: "auth != null && (row.team == auth.team || auth.level > 2)"
            fields:
              title: "auth.level > 1"
              note: "row.done == true"
              owner: "auth.team == 'x'"
            """, """
            read: "true"
            fields:
              note: "auth != null && auth.sub == row.owner"
              team: "auth.role != 'guest'"
            """, """
            read: "auth == null || contains(auth.groups, row.team)"
            fields:
              title: "auth.level >= 2"
            """);

    private static final List<String> WHERES = List.of(
            "{}",
            "{\"done\":{\"eq\":true}}",
            "{\"owner\":{\"eq\":\"alice\"}}",
            "{\"note\":{\"isNull\":false}}",
            "{\"team\":{\"eq\":\"x\"}}",
            "{\"or\":[{\"team\":{\"eq\":\"x\"}},{\"title\":{\"eq\":\"a\"}}]}",
            "{\"title\":{\"in\":[\"a\",\"b\"]}}");
    private static final List<String> FIELDS =
            Arrays.asList(null, "[\"title\"]", "[\"note\",\"title\"]", "[\"owner\",\"team\"]", "[\"id\"]");
    private static final List<String> ORDERS = Arrays.asList(null, "[[\"title\",\"asc\"]]", "[[\"note\",\"desc\"]]");
    private static final List<Integer> LIMITS = Arrays.asList(null, 1, 10);
    /**
     * Claims that the rules above read, and some they never read ({@code iat}, and each other's):
     * subscribers differing only there are judged once. Equal ones repeat.
     */
    private static final List<Map<String, Object>> CLAIMS = Arrays.asList(
            null,
            claims("sub", "alice", "role", "user"),
            claims("sub", "alice", "role", "admin"),
            claims("sub", "alice", "role", "user", "iat", 5),
            claims("sub", "bob", "role", "user", "team", "x", "level", 3),
            claims("sub", "bob", "role", "guest", "team", "x", "level", 3L),
            claims("sub", "carol", "team", "y", "level", 1),
            claims("sub", "carol", "team", "y", "level", 2),
            claims("sub", "carol", "team", "x"),
            claims("sub", "dan", "groups", List.of("x", "y"), "level", 2),
            claims("sub", "erin", "groups", List.of("y"), "level", 2),
            claims("sub", "erin", "groups", List.of("y"), "level", 2, "iat", 7));

    @TempDir
    static Path dir;

    static List<RuleSet> rules = new ArrayList<>();

    @BeforeAll
    static void load() {
        for (int i = 0; i < RULES.size(); i++) {
            rules.add(RoutedDeltas.rules(dir.resolve("r" + i), RULES.get(i)));
        }
    }

    @Test
    void everySubscriptionReceivesWhatJudgingItAloneGives() {
        Random random = new Random(20261201);
        int compared = 0;
        for (int round = 0; round < 300; round++) {
            RuleSet ruleSet = rules.get(random.nextInt(rules.size()));
            RoutedDeltas router = new RoutedDeltas();
            List<ActiveSubscription> alone = new ArrayList<>();
            // A few queries and claims per round, so that many subscriptions share one but not the other.
            List<String> frames = List.of(frame(random), frame(random), frame(random), frame(random));
            List<Map<String, Object>> claims = Arrays.asList(
                    pick(random, CLAIMS), pick(random, CLAIMS), pick(random, CLAIMS), pick(random, CLAIMS));
            for (int i = 0; i < 40; i++) {
                SubscriptionId id = new SubscriptionId("e" + random.nextInt(3), "c" + i, "q" + random.nextInt(2));
                Map<String, Object> auth = pick(random, claims);
                String frame = pick(random, frames);
                long generation = 1 + random.nextInt(3);
                try {
                    router.index.put(RoutedDeltas.subscription(id, generation, copy(auth), frame));
                    alone.add(RoutedDeltas.subscription(id, generation, copy(auth), frame));
                } catch (InvalidQueryException e) {
                    // a combination the query language refuses: no subscription
                }
            }
            for (int c = 0; c < 10; c++) {
                ChangeEvent change = change(random);
                Map<SubscriptionId, List<Delta>> received = router.route(change, ruleSet);
                Map<SubscriptionId, List<Delta>> expected = new HashMap<>();
                DeltaComputer computer = new DeltaComputer();
                for (ActiveSubscription sub : alone) {
                    Delta delta = computer.compute(change, sub, ruleSet, 0);
                    if (delta != null) {
                        expected.put(sub.id(), List.of(delta));
                    }
                }
                assertThat(received)
                        .as("round %d, change %s, rules %s", round, change, rules.indexOf(ruleSet))
                        .isEqualTo(expected);
                compared += alone.size();
            }
        }
        assertThat(compared).isGreaterThan(100_000);
    }

    private static String frame(Random random) {
        StringBuilder frame = new StringBuilder("{\"table\":\"public.todos\",\"where\":" + pick(random, WHERES));
        String fields = pick(random, FIELDS);
        if (fields != null) {
            frame.append(",\"fields\":").append(fields);
        }
        String order = pick(random, ORDERS);
        if (order != null) {
            frame.append(",\"orderBy\":").append(order);
        }
        Integer limit = pick(random, LIMITS);
        if (limit != null) {
            frame.append(",\"limit\":").append(limit);
        }
        return frame.append('}').toString();
    }

    private static ChangeEvent change(Random random) {
        Map<String, Object> before = row(random);
        Map<String, Object> after = row(random);
        List<String> unavailable = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            after.remove("note");
            unavailable.add("note");
        }
        Operation op = pick(random, List.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE));
        boolean oldImage = random.nextInt(4) != 0;
        return new ChangeEvent(
                1,
                "app",
                "public.todos",
                op,
                Map.of("id", 1L),
                op == Operation.INSERT || !oldImage ? null : before,
                op == Operation.DELETE ? null : after,
                op == Operation.DELETE ? List.of() : unavailable,
                "lsn:1",
                "7",
                0,
                0);
    }

    private static Map<String, Object> row(Random random) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("owner", pick(random, Arrays.asList("alice", "bob", "carol", null)));
        row.put("team", pick(random, Arrays.asList("x", "y", null)));
        row.put("done", pick(random, Arrays.asList(true, false, null)));
        row.put("title", pick(random, Arrays.asList("a", "b", "c")));
        row.put("note", pick(random, Arrays.asList("n1", "n2", null)));
        return row;
    }

    /** A copy, as each subscription record decodes its own claims. */
    private static Map<String, Object> copy(Map<String, Object> claims) {
        return claims == null ? null : new HashMap<>(claims);
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
