package io.undercurrent.router.internal;

import static io.undercurrent.router.internal.RoutedDeltas.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.Operation;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judging a change once per group of alike subscriptions gives every subscription exactly what judging
 * it alone gives: random subscriptions (filters, fields, orders, limits, claims, edges), random rules
 * (read rules and field masks on claims, on the row and on looked-up rows, with random lookup
 * contents) and random changes, with rules reloaded twice per round to rules reading other claims: the
 * router's deliveries against {@link DeltaComputer} run for each subscription on its own.
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
            """, """
            lookups:
              member:
                table: public.memberships
                key: [team, user_id]
            read: "exists(member, row.team, auth.sub)"
            fields:
              title: "auth.level > 1"
            """, """
            lookups:
              member:
                table: public.memberships
                key: [team, user_id]
              staff:
                table: public.staff
                key: user_id
            read: "row.done != true || exists(staff, auth.uid)"
            fields:
              note: "lookup(member, row.team, auth.sub).role == 'owner'"
              owner: "auth.role == 'admin'"
            """);

    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");
    private static final TableRef STAFF = new TableRef("app", "public.staff");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dan", "erin");
    private static final List<String> UIDS = List.of("u1", "u2", "u3");

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
     * subscribers differing only there are judged once. Equal ones repeat. Some differ only in a claim
     * that a rule reads only as a lookup key ({@code sub}, {@code uid}), which must keep them apart.
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
            claims("sub", "erin", "groups", List.of("y"), "level", 2, "iat", 7),
            claims("sub", "bob", "role", "user"),
            claims("sub", "alice", "level", 2),
            claims("sub", "bob", "level", 2),
            claims("sub", "alice", "role", "user", "uid", "u1"),
            claims("sub", "alice", "role", "user", "uid", "u2"),
            claims("sub", "bob", "role", "admin", "uid", "u1"));

    @TempDir
    static Path dir;

    static List<RuleSet> rules = new ArrayList<>();

    /** The lookup indexes any of the rules declare: one store serves them all, across a reload. */
    static Set<LookupIndex> lookups = new HashSet<>();

    @BeforeAll
    static void load() {
        for (int i = 0; i < RULES.size(); i++) {
            rules.add(RoutedDeltas.rules(dir.resolve("r" + i), RULES.get(i)));
        }
        for (RuleSet ruleSet : rules) {
            lookups.addAll(ruleSet.lookups());
        }
        assertThat(lookups).isNotEmpty();
    }

    @Test
    void everySubscriptionReceivesWhatJudgingItAloneGives() {
        long seed = 20261201;
        Random random = new Random(seed);
        int compared = 0;
        int reloads = 0;
        for (int round = 0; round < 300; round++) {
            LookupStore store = lookupRows(random);
            int ruleIndex = random.nextInt(rules.size());
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
                if (c == 4 || c == 7) {
                    // A rules reload: the same subscriptions, now under rules that read other claims.
                    ruleIndex = otherClaims(random, ruleIndex);
                    reloads++;
                }
                if (random.nextInt(3) == 0) {
                    changeLookupRows(random, store);
                }
                RuleSet ruleSet = rules.get(ruleIndex).withLookups(store);
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
                        .as(
                                "seed %d, round %d, change %d %s, rules %d, claims %s",
                                seed, round, c, change, ruleIndex, claims)
                        .isEqualTo(expected);
                compared += alone.size();
            }
        }
        assertThat(compared).isGreaterThan(100_000);
        assertThat(reloads).isEqualTo(600);
    }

    /** Rules, other than {@code current}, whose rule reads another set of claims. */
    private static int otherClaims(Random random, int current) {
        Set<String> read = rules.get(current).claimsRead(RoutedDeltas.TODOS);
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (!Objects.equals(rules.get(i).claimsRead(RoutedDeltas.TODOS), read)) {
                others.add(i);
            }
        }
        return pick(random, others);
    }

    /** A store holding random memberships (team, user, role) and staff (uid), every table loaded. */
    private static LookupStore lookupRows(Random random) {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        store.declare(lookups);
        for (int i = 0; i < 6; i++) {
            changeLookupRows(random, store);
        }
        store.tables().forEach(store::ready);
        return store;
    }

    /** Adds, changes or removes a random membership or staff row. */
    private static void changeLookupRows(Random random, LookupStore store) {
        if (random.nextInt(4) == 0) {
            Map<String, Object> key = Map.of("user_id", pick(random, UIDS));
            if (random.nextBoolean()) {
                store.upsert(STAFF, key, key);
            } else {
                store.delete(STAFF, key);
            }
            return;
        }
        // Few ids over ten (team, user) pairs: a membership moves, and now and then two share a key.
        Map<String, Object> id = Map.of("id", (long) random.nextInt(8));
        if (random.nextInt(4) == 0) {
            store.delete(MEMBERSHIPS, id);
        } else {
            store.upsert(
                    MEMBERSHIPS,
                    id,
                    Map.of(
                            "id", id.get("id"),
                            "team", pick(random, List.of("x", "y")),
                            "user_id", pick(random, USERS),
                            "role", pick(random, List.of("owner", "member"))));
        }
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
