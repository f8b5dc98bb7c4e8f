package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.TableRef;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code readCondition} against {@code access} on generated rules, subscribers and rows: every row
 * the rule allows satisfies the condition (opaque parts taken as true), and when nothing is opaque,
 * every row that satisfies it is allowed. The leaves are judged with {@link Values}, the rules' own
 * comparisons, so this checks the partial evaluation: negation, junctions, sides, lists, claims.
 * Reproduce a failure with {@code -Dundercurrent.rules.seed=<seed>}.
 */
class ReadConditionPropertyTest {

    private static final long SEED = Long.getLong("undercurrent.rules.seed", 20_241_101L);
    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final long NOW = 1_000L;
    private static final String[] COLUMNS = {"a", "b", "s", "flag", "missing"};
    private static final String[] VALUES = {
        "1", "2.5", "'x'", "'y'", "''", "true", "auth.n", "auth.s", "auth.flag", "auth.none", "auth.n + 1", "now", "-1"
    };
    private static final String[] OPS = {"==", "!=", "<", "<=", ">", ">="};

    @TempDir
    Path dir;

    @Test
    void everyAllowedRowSatisfiesTheConditionAndAFullyDecidedConditionAllowsExactly() {
        Random random = new Random(SEED);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(row(random));
        }
        List<Map<String, Object>> auths = new ArrayList<>();
        auths.add(null);
        for (int i = 0; i < 12; i++) {
            auths.add(auth(random));
        }
        int exact = 0;
        int narrowed = 0;
        for (int r = 0; r < 250; r++) {
            String read = condition(random, 3);
            LoadedRules rules = TestRules.read(dir, read);
            for (Map<String, Object> auth : auths) {
                RowCondition condition = rules.readCondition(TODOS, auth, NOW);
                boolean opaque = hasOpaque(condition);
                exact += opaque ? 0 : 1;
                for (Map<String, Object> row : rows) {
                    boolean allowed = rules.access(TODOS, auth, row, NOW).allowed();
                    boolean holds = holds(condition, row);
                    String context =
                            "read: " + read + "\nauth: " + auth + "\nrow: " + row + "\ncondition: " + condition;
                    if (allowed) {
                        assertThat(holds)
                                .as("an allowed row fails the condition\n%s", context)
                                .isTrue();
                    } else if (!opaque) {
                        assertThat(holds)
                                .as("a denied row passes a fully decided condition\n%s", context)
                                .isFalse();
                    }
                    narrowed += !allowed && !holds ? 1 : 0;
                }
                if (rules.mayReadAny(TODOS, auth) == false) {
                    for (Map<String, Object> row : rows) {
                        for (long now : new long[] {0, NOW, Long.MAX_VALUE}) {
                            assertThat(rules.access(TODOS, auth, row, now).allowed())
                                    .as("mayReadAny false, yet allowed: %s for %s, %s", read, auth, row)
                                    .isFalse();
                        }
                    }
                }
            }
        }
        assertThat(exact).as("fully decided conditions").isGreaterThan(500);
        assertThat(narrowed).as("denied rows the condition excludes").isGreaterThan(50_000);
    }

    private static boolean holds(RowCondition condition, Map<String, Object> row) {
        if (condition instanceof RowCondition.Constant constant) {
            return constant.value();
        }
        if (condition instanceof RowCondition.And and) {
            return and.operands().stream().allMatch(c -> holds(c, row));
        }
        if (condition instanceof RowCondition.Or or) {
            return or.operands().stream().anyMatch(c -> holds(c, row));
        }
        if (condition instanceof RowCondition.IsNull isNull) {
            return (row.get(isNull.column()) == null) == isNull.isNull();
        }
        if (condition instanceof RowCondition.Compare compare) {
            Object v = row.get(compare.column());
            Object c = compare.value();
            return switch (compare.comparison()) {
                case EQ -> Values.eq(v, c);
                case NE -> Values.ne(v, c);
                case LT -> Values.lt(v, c);
                case LE -> Values.le(v, c);
                case GT -> Values.gt(v, c);
                case GE -> Values.ge(v, c);
            };
        }
        return true; // opaque
    }

    private static boolean hasOpaque(RowCondition condition) {
        if (condition instanceof RowCondition.And and) {
            return and.operands().stream().anyMatch(ReadConditionPropertyTest::hasOpaque);
        }
        if (condition instanceof RowCondition.Or or) {
            return or.operands().stream().anyMatch(ReadConditionPropertyTest::hasOpaque);
        }
        return condition instanceof RowCondition.Opaque;
    }

    private static String condition(Random random, int depth) {
        int pick = random.nextInt(depth == 0 ? 10 : 14);
        String column = "row." + pick(random, COLUMNS);
        String value = pick(random, VALUES);
        // true and false have no order: the checker refuses ordering them.
        String op = value.equals("true") ? pick(random, "==", "!=") : pick(random, OPS);
        return switch (pick) {
            case 0, 1, 9 -> column + " " + op + " " + value;
            case 2 -> value + " " + op + " " + column;
            case 3 -> column + (random.nextBoolean() ? " == null" : " != null");
            case 4 -> column + " in ['x', 1, 2.5, true]";
            case 5 -> random.nextBoolean() ? column + " in auth.list" : "auth.groups contains " + column;
            case 6 -> random.nextBoolean() ? column : "!" + column;
            case 7 ->
                pick(
                        random,
                        "auth.role == 'admin'",
                        "auth != null",
                        "auth == null",
                        "auth.n > 1",
                        "true",
                        "false",
                        "now > 500",
                        "auth.role in ['admin', 'user']",
                        "auth.list contains 1");
            case 8 ->
                pick(
                        random,
                        "row.a == row.b",
                        "startsWith(row.s, 'x')",
                        "size(row.s) > 0",
                        "row.s contains 'x'",
                        "str(row.a) == auth.s");
            case 10, 11 ->
                "(" + condition(random, depth - 1) + (random.nextBoolean() ? " && " : " || ")
                        + condition(random, depth - 1) + ")";
            default -> "!(" + condition(random, depth - 1) + ")";
        };
    }

    private static Map<String, Object> row(Random random) {
        Map<String, Object> row = new HashMap<>();
        for (String column : COLUMNS) {
            if (column.equals("missing") || random.nextInt(5) == 0) {
                continue;
            }
            row.put(
                    column,
                    pick(
                            random,
                            null,
                            1L,
                            2L,
                            3L,
                            -1L,
                            new BigDecimal("2.5"),
                            2.5d,
                            "x",
                            "y",
                            "",
                            "xy",
                            true,
                            false,
                            List.of(1L),
                            Map.of("k", 1L)));
        }
        return row;
    }

    private static Map<String, Object> auth(Random random) {
        Map<String, Object> auth = new HashMap<>();
        if (random.nextBoolean()) {
            auth.put("role", pick(random, "admin", "user", 1L));
        }
        if (random.nextInt(4) > 0) {
            auth.put("n", pick(random, 0L, 1L, 2L, new BigDecimal("1.5"), "1", null));
        }
        if (random.nextInt(4) > 0) {
            auth.put("s", pick(random, "x", "y", "", 1L));
        }
        if (random.nextBoolean()) {
            auth.put("flag", random.nextBoolean());
        }
        if (random.nextInt(3) > 0) {
            auth.put(
                    "list",
                    pick(
                            random,
                            List.of(),
                            List.of("x", 1L),
                            Arrays.asList("y", null),
                            List.of(List.of(1L)),
                            List.of(true, 2.5d),
                            "x"));
        }
        if (random.nextInt(3) > 0) {
            auth.put("groups", pick(random, List.of("x"), Map.of("x", true, "y", false), Map.of(), "xy", 3L));
        }
        return auth;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
