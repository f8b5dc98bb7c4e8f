package io.undercurrent.server.roles;

import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesListener;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.RulesStatus;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force for every role of this process, with hot reload. Roles read
 * {@link #current()}; the edge is also told which tables' rules changed.
 */
public final class RulesService implements Service, Supplier<RuleSet> {

    private static final Logger LOG = LoggerFactory.getLogger(RulesService.class);

    private final RulesEngine engine;
    private final LookupStore lookups;
    private final List<Consumer<Set<TableRef>>> listeners = new CopyOnWriteArrayList<>();

    public RulesService(Path directory, String defaultSource, Set<String> sources, boolean hotReload)
            throws RulesException {
        this(directory, defaultSource, sources, hotReload, LookupLimits.DEFAULT);
    }

    /**
     * @param lookupLimits the memory bound of the tables rules look up ({@code lookups:} in rule files)
     */
    public RulesService(
            Path directory, String defaultSource, Set<String> sources, boolean hotReload, LookupLimits lookupLimits)
            throws RulesException {
        this.lookups = new LookupStore(lookupLimits);
        this.engine = RulesEngine.start(
                new RulesOptions(directory, defaultSource, hotReload)
                        .withSources(sources)
                        .withLookups(lookups),
                new RulesListener() {
                    @Override
                    public void rulesReloaded(RuleSet rules, Set<TableRef> changedTables) {
                        LOG.info("rules reloaded from {}; changed: {}", directory, changedTables);
                        listeners.forEach(l -> l.accept(changedTables));
                    }

                    @Override
                    public void reloadRejected(List<RuleProblem> problems) {
                        LOG.error(
                                "rules in {} NOT reloaded; the running rules stay in force. Fix:\n  {}",
                                directory,
                                String.join(
                                        "\n  ",
                                        problems.stream()
                                                .map(RuleProblem::toString)
                                                .toList()));
                    }
                });
    }

    /**
     * The rows rules look up, shared by every role of this process; {@link LookupRole} feeds it from
     * a snapshot and the captured changes of each of {@link LookupStore#tables()} (rules-engine/README.md,
     * "Lookups"). While a table loads, rules that look it up deny.
     */
    public LookupStore lookups() {
        return lookups;
    }

    public void onChange(Consumer<Set<TableRef>> listener) {
        listeners.add(listener);
    }

    public RuleSet current() {
        return engine.current();
    }

    /** What the engine runs and how its last load went. */
    public RulesStatus rulesStatus() {
        return engine.status();
    }

    @Override
    public RuleSet get() {
        return engine.current();
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public boolean healthy() {
        return true; // a rejected reload leaves working rules in force; status() reports it
    }

    @Override
    public Object status() {
        RulesStatus status = engine.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("directory", status.directory().toString());
        out.put("outcome", status.outcome().name().toLowerCase(java.util.Locale.ROOT));
        out.put("rules", status.ruleCount());
        out.put("loadedAt", String.valueOf(status.loadedAt()));
        if (!status.problems().isEmpty()) {
            out.put(
                    "problems",
                    status.problems().stream().map(RuleProblem::toString).toList());
        }
        if (!status.runtimeErrors().isEmpty()) {
            Map<String, Long> errors = new LinkedHashMap<>();
            status.runtimeErrors().forEach((table, count) -> errors.put(table.toString(), count));
            out.put("runtimeErrors", errors);
        }
        return out;
    }

    @Override
    public void close() {
        engine.close();
    }
}
