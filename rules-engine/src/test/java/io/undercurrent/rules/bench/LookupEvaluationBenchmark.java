package io.undercurrent.rules.bench;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
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
 * One (row, subscriber) judgement of a rule with one lookup, the group chat's:
 * {@code read: "auth != null && exists(member, row.group_id, auth.sub)"}, against a
 * {@link LookupStore} holding 100,000 memberships (10,000 groups × 10 members). Run it with
 * {@code mvn -B -pl rules-engine -am test-compile exec:exec@rules-bench -Dbench.args="LookupEvaluationBenchmark -prof gc"}
 * (see README, "Speed").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class LookupEvaluationBenchmark {

    private static final TableRef MESSAGES = new TableRef("app", "public.messages");
    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");

    private Path directory;
    private RuleSet rules;
    private Map<String, Object> member;
    private Map<String, Object> stranger;
    private Map<String, Object> message;

    @Setup
    public void setUp() throws IOException, RulesException {
        directory = Files.createTempDirectory("undercurrent-bench");
        Files.writeString(directory.resolve("messages.yaml"), """
        table: public.messages
        lookups:
          member:
            table: public.memberships
            key: [group_id, user_id]
        read: "auth != null && exists(member, row.group_id, auth.sub)"
        """);
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        try (RulesEngine engine =
                RulesEngine.start(new RulesOptions(directory, "app", false).withLookups(store), null)) {
            rules = engine.current();
        }
        long id = 0;
        for (long group = 1; group <= 10_000; group++) {
            for (int i = 0; i < 10; i++) {
                id++;
                Map<String, Object> row = new HashMap<>();
                row.put("id", id);
                row.put("group_id", group);
                row.put("user_id", "user-" + (group * 7 + i));
                row.put("role", i == 0 ? "owner" : "member");
                store.upsert(MEMBERSHIPS, Map.of("id", id), row);
            }
        }
        store.ready(MEMBERSHIPS);
        member = new HashMap<>(Map.of("sub", "user-" + (4242 * 7 + 3)));
        stranger = new HashMap<>(Map.of("sub", "user-9"));
        message = new HashMap<>();
        message.put("id", 1L);
        message.put("group_id", 4242L);
        message.put("author_id", "user-29694");
        message.put("body", "hello");
        message.put("sent_at", "2024-05-01T12:00:00.000000Z");
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    /** Allowed: the subscriber is a member of the message's group. */
    @Benchmark
    public Access memberAllowed() {
        return rules.access(MESSAGES, member, message, 1_714_564_800_000L);
    }

    /** Denied: the subscriber is in no such group (the first level of the index matches, the second not). */
    @Benchmark
    public Access strangerDenied() {
        return rules.access(MESSAGES, stranger, message, 1_714_564_800_000L);
    }
}
