package io.undercurrent.server.e2e.chaos;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every version of one table's rule a scenario wrote, each compiled by the project's own
 * {@link RulesEngine}, and which of them may be in force: {@link #written()} is the newest written,
 * {@link #confirmed()} the newest every process is known to run. A process may judge with any version
 * from the one confirmed when a live query (re)started up to the newest written: the edge resets a
 * query when it picks up an edit, and a change judged under the old rule may still arrive before that
 * {@code reset}.
 *
 * <p>Thread-safe: versions are only appended; the two indexes are volatile.
 */
final class RuleHistory {

    private final TableRef table;
    private final Path scratch;
    private final List<RuleSet> versions = new CopyOnWriteArrayList<>();
    private final List<RuleVariant> variants = new CopyOnWriteArrayList<>();
    private volatile int written = -1;
    private volatile int confirmed = -1;

    RuleHistory(TableRef table, Path scratch) {
        this.table = table;
        this.scratch = scratch;
    }

    TableRef table() {
        return table;
    }

    /** Compiles {@code variant} as the next version; call before writing {@code yaml} where servers can see it. */
    void add(RuleVariant variant, String yaml) throws IOException, RulesException {
        Path dir = Files.createTempDirectory(scratch, "rules-v" + versions.size() + "-");
        Files.writeString(dir.resolve("rule.yaml"), yaml);
        try (RulesEngine engine = RulesEngine.start(new RulesOptions(dir, "app", false), null)) {
            versions.add(engine.current());
        }
        variants.add(variant);
        written = versions.size() - 1;
    }

    /** Every process now runs the newest version. */
    void confirm() {
        confirmed = written;
    }

    int written() {
        return written;
    }

    int confirmed() {
        return confirmed;
    }

    String name(int version) {
        return "v" + version + " (" + variants.get(version).name() + ")";
    }

    RuleSet version(int index) {
        return versions.get(index);
    }

    /**
     * Whether every version from {@code oldest} to the newest written refuses {@code query} for
     * {@code auth}: then no frame of it may arrive (or only its {@code forbidden} error).
     */
    boolean allRefuse(Map<String, Object> auth, QueryShape query, int oldest) {
        for (int v = Math.max(0, oldest); v <= written; v++) {
            if (variants.get(v).refusal(auth, query) == null) {
                return false;
            }
        }
        return true;
    }

    /** Why some version from {@code oldest} to the newest written refuses {@code query}, or null when none does. */
    String anyRefusal(Map<String, Object> auth, QueryShape query, int oldest) {
        for (int v = Math.max(0, oldest); v <= written; v++) {
            String why = variants.get(v).refusal(auth, query);
            if (why != null) {
                return name(v) + ": " + why;
            }
        }
        return null;
    }

    /**
     * Null when some version from {@code oldest} to the newest written lets {@code auth} read {@code row}
     * (as the client received it) with exactly the columns it has: the key, and each requested column
     * that version does not mask. Otherwise why not, per version.
     */
    String judge(Map<String, Object> row, Map<String, Object> auth, int oldest, List<String> requested) {
        int newest = written;
        List<String> why = new ArrayList<>();
        for (int v = Math.max(0, oldest); v <= newest; v++) {
            Access access = versions.get(v).access(table, auth, row, System.currentTimeMillis());
            if (!access.allowed()) {
                why.add(name(v) + " denies the row");
                continue;
            }
            Set<String> expected = new LinkedHashSet<>();
            expected.add("id");
            for (String column : requested) {
                if (access.fieldVisible(column)) {
                    expected.add(column);
                }
            }
            if (expected.equals(row.keySet())) {
                return null;
            }
            why.add(name(v) + " allows the row with columns " + expected);
        }
        return String.join("; ", why);
    }
}
