package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.rules.RulesStatus.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher thread for real: files edited on disk, the swap awaited (never slept for). */
class HotReloadIT {

    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final Map<String, Object> ALICE = Map.of("sub", "alice");
    private static final Map<String, Object> ROW = Map.of("owner_id", "alice", "internal_note", "x");
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final Duration SETTLE_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private RulesEngine engine;

    @BeforeEach
    void start() throws IOException, RulesException {
        write("table: public.todos\nread: \"row.owner_id == auth.sub\"\n");
        engine = RulesEngine.start(new RulesOptions(dir, "app", true), listener);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private void write(String yaml) throws IOException {
        Files.writeString(dir.resolve("todos.yaml"), yaml);
    }

    private boolean aliceMayRead() {
        return engine.current().access(TODOS, ALICE, ROW, 0).allowed();
    }

    @Test
    void anEditIsLiveWithinASecond() throws IOException {
        assertThat(aliceMayRead()).isTrue();
        long start = System.nanoTime();
        write("table: public.todos\nread: \"auth.role == 'admin'\"\n");

        await().atMost(WITHIN_A_SECOND).until(() -> !aliceMayRead());
        System.out.printf("edit live after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        await().atMost(WITHIN_A_SECOND).until(() -> !listener.reloads.isEmpty());
        assertThat(listener.reloads).containsExactly(Set.of(TODOS));
    }

    @Test
    void aBadFileLeavesTheRunningRulesUntouchedAndIsReported() throws IOException {
        RuleSet running = engine.current();
        write(
                "table: public.todos\nread: \"row.owner_id == auth.sub ||\"\nfields: {internal_note: \"Runtime.exec()\"}\n");

        await().atMost(WITHIN_A_SECOND).until(() -> engine.status().outcome() == Outcome.REJECTED);
        assertThat(engine.current()).isSameAs(running);
        assertThat(aliceMayRead()).isTrue();
        assertThat(engine.status().problems())
                .extracting(RuleProblem::toString)
                .containsExactly(
                        dir.resolve("todos.yaml") + ":2:35: expected a value, found the end of the expression",
                        dir.resolve("todos.yaml")
                                + ":3:26: unknown variable 'Runtime': rules see only auth, row and now"
                                + " (classes and static members are not accessible)",
                        dir.resolve("todos.yaml")
                                + ":3:34: method calls are not allowed ('exec'); the only helpers are contains,"
                                + " startsWith, endsWith, size, lower, upper, str, num, millis, exists and lookup");
        await().atMost(WITHIN_A_SECOND).until(() -> listener.rejections.size() == 1);
        assertThat(listener.rejections.get(0)).isEqualTo(engine.status().problems());

        write("table: public.todos\nread: \"false\"\n");
        await().atMost(WITHIN_A_SECOND).until(() -> engine.status().outcome() == Outcome.LOADED);
        assertThat(aliceMayRead()).isFalse();
    }

    @Test
    void editorStyleSavesNeverExposeAHalfWrittenFile() throws IOException, RulesException {
        // A longer interval than the default: the empty file below must stay shorter than one interval
        // on the test's side too, and a busy machine can stall this thread for more than 200 ms.
        engine.close();
        engine = RulesEngine.start(new RulesOptions(dir, "app", true).withPollInterval(SETTLE_INTERVAL), listener);
        Path temporary = dir.resolve(".todos.yaml.swp");
        Files.writeString(temporary, "table: public.todos\nread: \"false\"\n");
        Files.move(
                temporary,
                dir.resolve("todos.yaml"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        await().atMost(SETTLE_INTERVAL.multipliedBy(5)).until(() -> !aliceMayRead());

        write("");
        write("table: public.todos\nread: \"true\"\n");
        await().atMost(SETTLE_INTERVAL.multipliedBy(5)).until(this::aliceMayRead);
        assertThat(listener.rejections)
                .as("the empty file never held still long enough to be judged")
                .isEmpty();
    }

    @Test
    void closeStopsTheWatcher() {
        engine.close();
        await().atMost(WITHIN_A_SECOND)
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(
                                thread -> thread.getName().equals("undercurrent-rules-watcher") && thread.isAlive()));
        engine.close();
    }

    @Test
    void readersNeverSeeAHalfSwappedRuleSet() throws Exception {
        write("table: public.todos\nread: \"row.owner_id == auth.sub\"\nfields: {internal_note: \"false\"}\n");
        await().atMost(WITHIN_A_SECOND)
                .until(() -> !engine.current().access(TODOS, ALICE, ROW, 0).fieldVisible("internal_note"));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (running.get()) {
                Access access = engine.current().access(TODOS, ALICE, ROW, 0);
                // Every version of the rule allows alice and hides the note: a reader must only ever see that.
                if (!access.allowed() || access.fieldVisible("internal_note")) {
                    failure.set(new AssertionError("saw " + access));
                }
            }
        });
        reader.start();
        for (int version = 0; version < 3; version++) {
            write("table: public.todos\nread: \"row.owner_id == auth.sub || " + version + " == 99\"\n"
                    + "fields: {internal_note: \"false\"}\n");
            int expected = listener.reloads.size() + 1;
            await().atMost(WITHIN_A_SECOND).until(() -> listener.reloads.size() >= expected);
        }
        running.set(false);
        reader.join();
        assertThat(failure.get()).isNull();
    }
}
