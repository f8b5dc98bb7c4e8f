package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MVEL optimises compiled code lazily, on first use and again after some hundred calls; a rule set
 * is shared by every router thread from its first evaluation. Many threads judging a fresh rule set
 * at once must all get the single-threaded answers.
 */
class ConcurrentEvaluationTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");

    @TempDir
    Path dir;

    @Test
    void freshRulesJudgedByManyThreadsAtOnceAgreeWithOneThread() throws Exception {
        Files.writeString(dir.resolve("todos.yaml"), """
        table: public.todos
        read: "row.owner_id == auth.sub || auth.role in ['admin', 'support'] || (row.public && auth != null)"
        fields:
          internal_note: "auth.role == 'admin'"
          title: "!(auth.groups contains 'blocked')"
        """);
        List<Map<String, Object>> claims = new ArrayList<>();
        claims.add(null);
        claims.add(Map.of("sub", "alice"));
        claims.add(Map.of("sub", "bob", "role", "admin"));
        claims.add(Map.of("sub", "carol", "role", "support", "groups", List.of("blocked")));
        claims.add(Map.of("sub", "dave", "groups", List.of("x")));
        List<Map<String, Object>> rows = List.of(
                Map.of("owner_id", "alice", "public", false, "title", "t", "internal_note", "n"),
                Map.of("owner_id", "bob", "public", true, "title", "t"),
                Map.of("owner_id", 42L, "title", "t"));

        String expected = answers(engine().current(), claims, rows);
        int threads = 4;
        for (int round = 0; round < 5; round++) {
            RuleSet fresh = engine().current();
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<String>> judge = () -> {
                    start.await();
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        seen.add(answers(fresh, claims, rows));
                    }
                    return seen;
                };
                results.add(pool.submit(judge));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).allMatch(expected::equals);
            }
            pool.shutdown();
        }
    }

    private RulesEngine engine() throws RulesException {
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), null)) {
            return engine;
        }
    }

    private static String answers(RuleSet rules, List<Map<String, Object>> claims, List<Map<String, Object>> rows) {
        StringBuilder answers = new StringBuilder();
        for (Map<String, Object> auth : claims) {
            for (Map<String, Object> row : rows) {
                answers.append(rules.access(TODOS, auth, row, 0)).append(';');
            }
        }
        return answers.toString();
    }
}
