package io.undercurrent.rules.internal;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Runs the {@code *.test.yaml} files of a folder against loaded rules. */
public final class RuleTests {

    private RuleTests() {}

    /**
     * One case's outcome.
     *
     * @param testCase the case
     * @param failure why it failed, with the rule, the inputs and an explanation; null when it passed
     */
    public record CaseResult(RuleTestCase testCase, String failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    /**
     * Everything a run found.
     *
     * @param files the test files
     * @param problems problems in test files (their broken cases did not run)
     * @param results every case that ran
     */
    public record Report(List<Path> files, List<RuleProblem> problems, List<CaseResult> results) {
        public long failed() {
            return results.stream().filter(result -> !result.passed()).count();
        }

        public boolean ok() {
            return problems.isEmpty() && failed() == 0;
        }
    }

    /**
     * @param directory where the test files are (beside the rules)
     * @param rules the rules to test
     * @param defaultSource the source of cases that name none; may be null
     * @param defaultNow {@code now} for cases that give none, epoch ms
     * @throws IOException when the folder cannot be listed
     */
    public static Report run(Path directory, LoadedRules rules, String defaultSource, long defaultNow)
            throws IOException {
        List<Path> files = RulesLoader.testFiles(directory);
        List<RuleProblem> problems = new ArrayList<>();
        List<CaseResult> results = new ArrayList<>();
        RuleTestReader reader = new RuleTestReader(defaultSource, defaultNow);
        for (Path file : files) {
            SourceText source = SourceText.load(file, problems);
            if (source == null) {
                continue;
            }
            for (RuleTestCase testCase : reader.read(source, problems)) {
                results.add(new CaseResult(testCase, check(testCase, rules)));
            }
        }
        return new Report(files, List.copyOf(problems), List.copyOf(results));
    }

    /** Null when the case passes, else the failure report. */
    static String check(RuleTestCase testCase, LoadedRules allRules) {
        if (testCase.channel() != null) {
            return checkChannel(testCase, allRules);
        }
        CompiledRule rule = allRules.rule(testCase.table());
        String unknown = unknownLookups(testCase, rule);
        if (unknown != null) {
            return unknown;
        }
        LoadedRules rules = allRules.withLookups(lookupRows(testCase, rule));
        Access access = rules.access(testCase.table(), testCase.auth(), testCase.row(), testCase.now());
        Set<String> visible = new LinkedHashSet<>();
        Set<String> hidden = new LinkedHashSet<>();
        for (String column : testCase.row().keySet()) {
            (access.fieldVisible(column) ? visible : hidden).add(column);
        }
        boolean pass = access.allowed() == testCase.expectAllow()
                && (!access.allowed()
                        || testCase.visible() == null
                        || testCase.visible().equals(visible))
                && (!access.allowed()
                        || testCase.hidden() == null
                        || testCase.hidden().equals(hidden));
        if (pass) {
            return null;
        }
        StringBuilder report = new StringBuilder();
        report.append("expected: ").append(expected(testCase)).append('\n');
        report.append("got:      ")
                .append(access.allowed() ? "allow, visible " + visible + ", hidden " + hidden : "deny")
                .append('\n');
        if (rule == null) {
            report.append("rule:     none covers ").append(testCase.table()).append(" (default deny)\n");
        } else {
            report.append("rule:     ")
                    .append(rule.location())
                    .append("  read: ")
                    .append(rule.read().text())
                    .append('\n');
            for (int i = 0; i < rule.maskSpecs().size(); i++) {
                report.append("          field ")
                        .append(rule.maskColumn(i))
                        .append(": ")
                        .append(rule.mask(i).text())
                        .append('\n');
            }
        }
        report.append("auth:     ")
                .append(testCase.auth() == null ? "null (anonymous)" : testCase.auth())
                .append('\n');
        report.append("row:      ").append(testCase.row()).append('\n');
        testCase.lookups()
                .forEach((name, rows) -> report.append("lookup:   ")
                        .append(name)
                        .append(" ")
                        .append(rows)
                        .append('\n'));
        report.append("now:      ").append(testCase.now()).append('\n');
        report.append("explain:\n");
        String explanation = rules.explain(testCase.table(), testCase.auth(), testCase.row(), testCase.now())
                .toString();
        explanation.lines().forEach(line -> report.append("  ").append(line).append('\n'));
        return report.toString();
    }

    private static String checkChannel(RuleTestCase testCase, LoadedRules allRules) {
        ChannelRule rule = allRules.channelRuleFor(testCase.channel());
        Set<String> declared = rule == null ? Set.of() : rule.lookups().keySet();
        for (String name : testCase.lookups().keySet()) {
            if (!declared.contains(name)) {
                return "the case gives rows for lookup '" + name + "', but "
                        + (rule == null
                                ? "no channel rule covers " + testCase.channel()
                                : "the channel rule at " + rule.location() + " does not declare it")
                        + "\n";
            }
        }
        LookupStore store = store(testCase, rule == null ? java.util.Map.of() : rule.lookups());
        ChannelAccess access = allRules.withLookups(store).channel(testCase.channel(), testCase.auth(), testCase.now());
        boolean pass = access.join() == testCase.expectAllow()
                && (testCase.expectPublish() == null || access.publish() == testCase.expectPublish());
        if (pass) {
            return null;
        }
        StringBuilder report = new StringBuilder();
        report.append("expected: join ")
                .append(testCase.expectAllow() ? "allow" : "deny")
                .append(
                        testCase.expectPublish() == null
                                ? ""
                                : ", publish " + (testCase.expectPublish() ? "allow" : "deny"))
                .append('\n');
        report.append("got:      join ")
                .append(access.join() ? "allow" : "deny")
                .append(", publish ")
                .append(access.publish() ? "allow" : "deny")
                .append('\n');
        report.append("rule:     ")
                .append(
                        rule == null
                                ? "none covers " + testCase.channel() + " (default deny)"
                                : rule.location() + "  channel: " + rule.pattern())
                .append('\n');
        report.append("auth:     ")
                .append(testCase.auth() == null ? "null (anonymous)" : testCase.auth())
                .append('\n');
        testCase.lookups()
                .forEach((name, rows) -> report.append("lookup:   ")
                        .append(name)
                        .append(" ")
                        .append(rows)
                        .append('\n'));
        return report.toString();
    }

    /** A failure when the case gives rows for a lookup its rule does not declare; null otherwise. */
    private static String unknownLookups(RuleTestCase testCase, CompiledRule rule) {
        Set<String> declared = rule == null ? Set.of() : rule.lookups().keySet();
        for (String name : testCase.lookups().keySet()) {
            if (!declared.contains(name)) {
                return "the case gives rows for lookup '" + name + "', but "
                        + (rule == null
                                ? "no rule covers " + testCase.table()
                                : "the rule at " + rule.location() + " declares "
                                        + (declared.isEmpty()
                                                ? "no lookups"
                                                : "only " + String.join(", ", new java.util.TreeSet<>(declared))))
                        + "\n";
            }
        }
        return null;
    }

    /**
     * The case's lookup rows in a store of their own, every declared lookup loaded (a lookup the case
     * does not give has no rows). Each row is its own primary key: test rows have no other identity.
     */
    private static LookupStore lookupRows(RuleTestCase testCase, CompiledRule rule) {
        return store(testCase, rule == null ? java.util.Map.of() : rule.lookups());
    }

    private static LookupStore store(RuleTestCase testCase, java.util.Map<String, RuleSpec.Lookup> declared) {
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        Set<LookupIndex> indexes = new java.util.HashSet<>();
        declared.values().forEach(lookup -> indexes.add(lookup.index()));
        store.declare(indexes);
        testCase.lookups().forEach((name, rows) -> {
            TableRef table = declared.get(name).index().table();
            for (int i = 0; i < rows.size(); i++) {
                store.upsert(table, java.util.Map.of("#lookup", name, "#row", (long) i), rows.get(i));
            }
        });
        store.tables().forEach(store::ready);
        return store;
    }

    private static String expected(RuleTestCase testCase) {
        if (!testCase.expectAllow()) {
            return "deny";
        }
        return "allow" + (testCase.visible() == null ? "" : ", visible " + testCase.visible())
                + (testCase.hidden() == null ? "" : ", hidden " + testCase.hidden());
    }
}
