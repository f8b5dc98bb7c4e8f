package io.undercurrent.rules.bench;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mvel2.MVEL;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.integration.impl.MapVariableResolverFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One evaluation of the typical rule: read {@code row.owner_id == auth.sub || auth.role == 'admin'}
 * plus two field masks, through the public API ({@link RuleSet#access}). Run it with
 * {@code mvn -B -pl rules-engine -am test-compile exec:exec@rules-bench} (see README, "Speed").
 *
 * <p>{@code rawMvel*} are the baseline: the same read as plain MVEL over variable maps, as MVEL is
 * usually embedded, to show what the sandboxed rendering costs or saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class RuleEvaluationBenchmark {

    private static final TableRef TODOS = new TableRef("app", "public.todos");

    private Path directory;
    private RuleSet rules;
    private Map<String, Object> owner;
    private Map<String, Object> admin;
    private Map<String, Object> stranger;
    private Map<String, Object> row;
    private ExecutableStatement rawRead;
    private MapVariableResolverFactory rawVariables;

    @Setup
    public void setUp() throws IOException, RulesException {
        directory = Files.createTempDirectory("undercurrent-bench");
        Files.writeString(directory.resolve("todos.yaml"), """
        table: public.todos
        read: "row.owner_id == auth.sub || auth.role == 'admin'"
        fields:
          internal_note: "auth.role == 'admin'"
          created_at: "auth.role != 'guest'"
        """);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(directory, "app", false), null)) {
            rules = engine.current();
        }
        owner = Map.of("sub", "user-1842", "role", "member");
        admin = Map.of("sub", "user-7", "role", "admin");
        stranger = Map.of("sub", "user-9", "role", "member");
        row = new HashMap<>();
        row.put("id", 1842L);
        row.put("owner_id", "user-1842");
        row.put("title", "Buy milk");
        row.put("done", Boolean.FALSE);
        row.put("internal_note", "VIP");
        row.put("created_at", "2024-05-01T12:00:00.000000Z");

        rawRead = (ExecutableStatement) MVEL.compileExpression("row.owner_id == auth.sub || auth.role == 'admin'");
        Map<String, Object> variables = new HashMap<>();
        variables.put("row", row);
        variables.put("auth", stranger);
        rawVariables = new MapVariableResolverFactory(variables);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    /** Allowed: read true on its first part, both masks judged (one hides). */
    @Benchmark
    public Access ownerReadAndTwoMasks() {
        return rules.access(TODOS, owner, row, 1_714_564_800_000L);
    }

    /** Allowed: read true on its second part, both masks judged (none hides). */
    @Benchmark
    public Access adminReadAndTwoMasks() {
        return rules.access(TODOS, admin, row, 1_714_564_800_000L);
    }

    /** Denied: both parts of read judged, masks skipped. */
    @Benchmark
    public Access strangerDenied() {
        return rules.access(TODOS, stranger, row, 1_714_564_800_000L);
    }

    /** Baseline: the read alone as plain, unsandboxed MVEL (MVEL's own loose == semantics). */
    @Benchmark
    public Object rawMvelReadOnly() {
        return rawRead.getValue(null, rawVariables);
    }
}
