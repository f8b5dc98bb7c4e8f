package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads every rule file of a folder and compiles it, or reports every problem in every file at once
 * (sorted by file, line and column). Stateless and thread-safe.
 */
public final class RulesLoader {

    private final RuleFileReader reader;

    /**
     * @param defaultSource the source of rules without {@code source:}; null makes it required
     * @param sources the configured sources; empty accepts any name
     */
    public RulesLoader(String defaultSource, Set<String> sources) {
        this.reader = new RuleFileReader(defaultSource, Set.copyOf(sources));
    }

    /**
     * The outcome of a load.
     *
     * @param rules the compiled rules; null when there are problems
     * @param problems every problem; empty when the load succeeded
     */
    public record Result(LoadedRules rules, List<RuleProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Loads {@code directory}. Rules whose text and place are unchanged since {@code previous} are
     * taken over as they are (keeping their compiled code and error counts).
     */
    public Result load(Path directory, LoadedRules previous) {
        List<RuleProblem> problems = new ArrayList<>();
        List<Path> files;
        try {
            files = ruleFiles(directory);
        } catch (IOException e) {
            problems.add(new RuleProblem(
                    directory,
                    0,
                    0,
                    "cannot read the rules directory (" + describe(e) + "); check that it exists and is readable"));
            return new Result(null, problems);
        }
        Map<TableRef, CompiledRule> rules = new HashMap<>();
        Map<TableRef, String> definedAt = new HashMap<>();
        List<ChannelSpec> channelSpecs = new ArrayList<>();
        for (Path file : files) {
            for (RuleSpec spec : readFile(file, problems, channelSpecs)) {
                TableRef table = new TableRef(spec.source(), spec.table());
                String location = RuleCompiler.location(spec);
                String first = definedAt.putIfAbsent(table, location);
                if (first != null) {
                    problems.add(spec.file()
                            .problemAt(
                                    spec.tableOffset(),
                                    "a rule for " + table + " already exists at " + first
                                            + "; a table has one rule (combine the conditions with ||)"));
                    RuleCompiler.compile(spec, problems);
                    continue;
                }
                CompiledRule rule = reuse(previous, table, spec);
                if (rule == null) {
                    rule = RuleCompiler.compile(spec, problems);
                }
                if (rule != null) {
                    rules.put(table, rule);
                }
            }
        }
        List<ChannelRule> channels = channels(channelSpecs, previous, problems);
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing((RuleProblem p) -> p.file().toString())
                    .thenComparingInt(RuleProblem::line)
                    .thenComparingInt(RuleProblem::column));
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new LoadedRules(rules, new ChannelRules(channels)), List.of());
    }

    /** Compiles the channel rules; one rule per pattern. */
    private static List<ChannelRule> channels(
            List<ChannelSpec> specs, LoadedRules previous, List<RuleProblem> problems) {
        Map<String, String> definedAt = new HashMap<>();
        List<ChannelRule> rules = new ArrayList<>();
        for (ChannelSpec spec : specs) {
            String location = spec.file().locate(spec.patternOffset());
            String first = definedAt.putIfAbsent(spec.pattern(), location);
            if (first != null) {
                problems.add(spec.file()
                        .problemAt(
                                spec.patternOffset(),
                                "a rule for channel '" + spec.pattern() + "' already exists at " + first
                                        + "; a channel pattern has one rule (combine the conditions with ||)"));
                continue;
            }
            ChannelRule before = previous == null ? null : previous.channelRule(spec.pattern());
            ChannelRule rule = before != null
                            && before.content().equals(spec.content())
                            && before.location().equals(location)
                    ? before
                    : RuleCompiler.compileChannel(spec, problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private List<RuleSpec> readFile(Path file, List<RuleProblem> problems, List<ChannelSpec> channels) {
        SourceText source = SourceText.load(file, problems);
        return source == null ? List.of() : reader.read(source, problems, channels);
    }

    private static CompiledRule reuse(LoadedRules previous, TableRef table, RuleSpec spec) {
        CompiledRule before = previous == null ? null : previous.rule(table);
        boolean same = before != null
                && before.content().equals(RuleCompiler.content(spec))
                && before.location().equals(RuleCompiler.location(spec));
        return same ? before : null;
    }

    /** The rule files of {@code directory}, sorted: *.yaml / *.yml, not tests, not dot-files. */
    public static List<Path> ruleFiles(Path directory) throws IOException {
        return list(directory, RulesLoader::isRuleFile);
    }

    /** The rule test files of {@code directory}, sorted: *.test.yaml / *.test.yml. */
    public static List<Path> testFiles(Path directory) throws IOException {
        return list(directory, RulesLoader::isTestFile);
    }

    private static List<Path> list(Path directory, java.util.function.Predicate<Path> wanted) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile).filter(wanted).sorted().collect(Collectors.toList());
        }
    }

    static boolean isRuleFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml")) && !isTestFile(file);
    }

    static boolean isTestFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".test.yaml") || name.endsWith(".test.yml"));
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
