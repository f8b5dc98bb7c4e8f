package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.rules.RulesStatus.Outcome;
import io.undercurrent.rules.internal.Reloader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload logic stepped by hand, one watcher step at a time: no threads, no waiting. */
class ReloaderTest {

    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final TableRef PROJECTS = new TableRef("app", "public.projects");
    private static final Map<String, Object> ALICE = Map.of("sub", "alice");
    private static final Map<String, Object> ROW = Map.of("owner_id", "alice");

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private Reloader reloader;

    @BeforeEach
    void start() throws IOException, RulesException {
        write("todos.yaml", "table: public.todos\nread: \"row.owner_id == auth.sub\"\n");
        Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
        reloader = new Reloader(new RulesOptions(dir, "app", true).withClock(clock), listener);
        reloader.loadInitial();
    }

    private void write(String name, String yaml) throws IOException {
        Files.writeString(dir.resolve(name), yaml);
    }

    /** A change is loaded once it has held still for one step. */
    private void settle() {
        reloader.checkOnce();
        reloader.checkOnce();
    }

    @Test
    void aValidEditIsSwappedInAndReported() throws IOException {
        RuleSet before = reloader.current();
        write("todos.yaml", "table: public.todos\nread: \"false\"\n");
        reloader.checkOnce();
        assertThat(reloader.current()).as("not before it settles").isSameAs(before);
        reloader.checkOnce();

        assertThat(reloader.current().access(TODOS, ALICE, ROW, 0).allowed()).isFalse();
        assertThat(before.access(TODOS, ALICE, ROW, 0).allowed())
                .as("snapshots never change")
                .isTrue();
        assertThat(listener.reloads).containsExactly(Set.of(TODOS));
        assertThat(reloader.status().outcome()).isEqualTo(Outcome.LOADED);
    }

    @Test
    void aBadEditLeavesTheRunningRulesAndIsReportedOnce() throws IOException {
        RuleSet before = reloader.current();
        write("todos.yaml", "table: public.todos\nread: \"row.owner_id == \"\n");
        settle();
        settle();

        assertThat(reloader.current()).isSameAs(before);
        assertThat(reloader.current().access(TODOS, ALICE, ROW, 0).allowed()).isTrue();
        RulesStatus status = reloader.status();
        assertThat(status.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(status.problems())
                .extracting(RuleProblem::toString)
                .containsExactly(
                        dir.resolve("todos.yaml") + ":2:24: expected a value, found the end of the expression");
        assertThat(status.ruleCount()).isEqualTo(1);
        assertThat(status.loadedAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(listener.rejections).hasSize(1);
        assertThat(listener.reloads).isEmpty();

        write("todos.yaml", "table: public.todos\nread: \"row.owner_id == auth.sub\"\n");
        settle();
        assertThat(reloader.status().outcome()).isEqualTo(Outcome.LOADED);
        assertThat(reloader.status().problems()).isEmpty();
        assertThat(listener.reloads)
                .as("recovery is reported, though no rule changed")
                .containsExactly(Set.of());
    }

    @Test
    void addedAndRemovedFilesChangeTheirTables() throws IOException {
        write("projects.yaml", "table: public.projects\nread: \"auth != null\"\n");
        settle();
        assertThat(reloader.current().hasRule(PROJECTS)).isTrue();
        Files.delete(dir.resolve("todos.yaml"));
        settle();
        assertThat(reloader.current().hasRule(TODOS)).isFalse();
        assertThat(listener.reloads).containsExactly(Set.of(PROJECTS), Set.of(TODOS));
    }

    @Test
    void rewritingTheSameRulesNotifiesNobody() throws IOException {
        write("todos.yaml", "# same rule, new comment\ntable: public.todos\nread: \"row.owner_id == auth.sub\"\n");
        settle();
        assertThat(listener.reloads).isEmpty();
        assertThat(reloader.current().access(TODOS, ALICE, ROW, 0).allowed()).isTrue();
    }

    @Test
    void aSameSizeRewriteWithTheSameModificationTimeIsStillSeen() throws IOException {
        Path file = dir.resolve("todos.yaml");
        FileTime time = FileTime.fromMillis(System.currentTimeMillis() / 1000 * 1000);
        Files.setLastModifiedTime(file, time);
        settle();
        write("todos.yaml", "table: public.todos\nread: \"row.owner_id != auth.sub\"\n");
        Files.setLastModifiedTime(file, time);
        settle();
        assertThat(reloader.current().access(TODOS, ALICE, ROW, 0).allowed()).isFalse();
    }

    @Test
    void aVanishedFolderKeepsTheRulesAndSaysWhy() throws IOException {
        Files.delete(dir.resolve("todos.yaml"));
        Files.delete(dir);
        reloader.checkOnce();
        assertThat(reloader.status().outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(reloader.status().problems())
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).startsWith("cannot read the rules directory"));
        assertThat(reloader.current().hasRule(TODOS)).isTrue();
        reloader.checkOnce();
        assertThat(listener.rejections).hasSize(1);
    }

    @Test
    void runtimeErrorsAreInTheStatus() throws IOException {
        write("todos.yaml", "table: public.todos\nread: \"row.a / row.b > 1\"\n");
        settle();
        reloader.current().access(TODOS, ALICE, Map.of("a", 1L, "b", 0L), 0);
        reloader.current().access(TODOS, ALICE, Map.of("a", 1L, "b", 0L), 0);
        assertThat(reloader.status().runtimeErrors()).containsExactly(Map.entry(TODOS, 2L));
    }

    @Test
    void reloadNowLoadsAChangeWithoutWaitingAndOnlyWhenThereIsOne() throws IOException, RulesException {
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), listener)) {
            assertThat(engine.reloadNow().outcome()).isEqualTo(Outcome.LOADED);
            assertThat(listener.reloads).as("nothing changed").isEmpty();
            write("todos.yaml", "table: public.todos\nread: \"false\"\n");
            assertThat(engine.reloadNow().outcome()).isEqualTo(Outcome.LOADED);
            assertThat(engine.current().access(TODOS, ALICE, ROW, 0).allowed()).isFalse();
            assertThat(listener.reloads).containsExactly(Set.of(TODOS));
            write("todos.yaml", "table: public.todos\nread: \"fals\"\n");
            RulesStatus refused = engine.reloadNow();
            assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(refused.problems())
                    .singleElement()
                    .satisfies(problem -> assertThat(problem.toString())
                            .isEqualTo(dir.resolve("todos.yaml")
                                    + ":2:8: unknown variable 'fals': rules see only auth, row and now"));
        }
    }

    @Test
    void startRefusesInvalidRulesWithEveryProblem() throws IOException {
        write("todos.yaml", "table: public.todos\nread: \"usr.id == 1\"\n");
        write("projects.yaml", "table: projects\nread: \"true\"\n");
        assertThatThrownBy(() -> RulesEngine.start(new RulesOptions(dir, "app", true), listener))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("2 problems in the rules; nothing was loaded")
                .satisfies(e -> assertThat(((RulesException) e).problems())
                        .extracting(RuleProblem::line, RuleProblem::column)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(1, 8), org.assertj.core.groups.Tuple.tuple(2, 8)));
    }
}
