package io.undercurrent.rules;

import io.undercurrent.rules.internal.InlineYaml;
import io.undercurrent.rules.internal.LoadedRules;
import io.undercurrent.rules.internal.RuleTests;
import io.undercurrent.rules.internal.RulesLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code undercurrent rules ...} commands, as plain methods the server's CLI wires up. Each
 * prints to {@code out} and returns the process exit code:
 * <ul>
 *   <li>{@value #OK}: success (valid; every case passed; explain: allowed)
 *   <li>{@value #FAILED}: the check failed (problems in the rules; a failing or broken test case;
 *       explain: denied)
 *   <li>{@value #ERROR}: could not run: the folder is missing or unreadable, an argument is wrong,
 *       or (for test and explain) the rules themselves do not load
 * </ul>
 * Stateless and thread-safe; starts no threads.
 */
public final class RulesTool {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int ERROR = 2;

    private RulesTool() {}

    /**
     * {@code undercurrent rules validate [DIR]}: loads every rule file and prints every problem as
     * {@code file:line:col: what is wrong}.
     *
     * @param directory the rules folder
     * @param defaultSource the source of rules without {@code source:}; null makes it required
     */
    public static int validate(Path directory, String defaultSource, PrintStream out) {
        if (!isFolder(directory, out)) {
            return ERROR;
        }
        RulesLoader.Result result = new RulesLoader(defaultSource, Set.of()).load(directory, null);
        if (!result.ok()) {
            result.problems().forEach(out::println);
            out.println(count(result.problems().size(), "problem") + " in " + directory + "; nothing would be loaded");
            return FAILED;
        }
        out.println("OK: " + count(result.rules().size(), "rule") + " in " + directory + tables(result.rules()));
        return OK;
    }

    /**
     * {@code undercurrent rules test [DIR]}: runs every {@code *.test.yaml} case in the folder against
     * its rules. A failing case prints the rule, the inputs, what it got and an explanation.
     */
    public static int test(Path directory, String defaultSource, PrintStream out) {
        LoadedRules rules = loadOrReport(directory, defaultSource, out);
        if (rules == null) {
            return ERROR;
        }
        RuleTests.Report report;
        try {
            report = RuleTests.run(directory, rules, defaultSource, System.currentTimeMillis());
        } catch (IOException e) {
            out.println(directory + ": cannot list the test files (" + e.getMessage() + ")");
            return ERROR;
        }
        for (RuleTests.CaseResult result : report.results()) {
            out.println((result.passed() ? "PASS " : "FAIL ")
                    + result.testCase().location() + "  " + result.testCase().name());
            if (!result.passed()) {
                result.failure().lines().forEach(line -> out.println("     " + line));
            }
        }
        report.problems().forEach(out::println);
        out.println(count(report.results().size(), "case") + " in "
                + count(report.files().size(), "test file") + ": "
                + (report.results().size() - report.failed()) + " passed, " + report.failed() + " failed"
                + (report.problems().isEmpty()
                        ? ""
                        : ", " + count(report.problems().size(), "problem") + " in test files"));
        if (report.files().isEmpty()) {
            out.println("No *.test.yaml files in " + directory + "; add one beside each rule file.");
        }
        return report.ok() ? OK : FAILED;
    }

    /**
     * {@code undercurrent rules explain [DIR] --table T --auth A --row R}: how the rules judge one row.
     *
     * @param table {@code source/schema.table}, or {@code schema.table} for the default source
     * @param auth the claims as YAML or JSON ({@code {sub: alice, role: admin}}); null, blank or
     *     {@code null} for anonymous
     * @param row the row as YAML or JSON
     */
    public static int explain(
            Path directory, String defaultSource, String table, String auth, String row, PrintStream out) {
        return explain(directory, defaultSource, table, auth, row, null, out);
    }

    /**
     * As {@link #explain(Path, String, String, String, String, PrintStream)}, with the rows of the
     * rule's lookups ({@code --lookups}), by lookup name, as YAML or JSON:
     * {@code {member: [{group_id: 1, user_id: alice, role: owner}]}}; null for none (every lookup then
     * finds no row).
     */
    public static int explain(
            Path directory,
            String defaultSource,
            String table,
            String auth,
            String row,
            String lookups,
            PrintStream out) {
        TableRef ref = tableRef(table, defaultSource, out);
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, Object> claims = InlineYaml.mapping("--auth", auth, problems);
        Map<String, Object> values = InlineYaml.mapping("--row", row, problems);
        Map<String, Object> lookupRows = InlineYaml.mapping("--lookups", lookups, problems);
        if (values == null && problems.isEmpty()) {
            problems.add(
                    new RuleProblem(Path.of("--row"), 0, 0, "give the row to judge, e.g. {id: 1, owner_id: alice}"));
        }
        problems.forEach(out::println);
        if (ref == null || !problems.isEmpty()) {
            return ERROR;
        }
        LoadedRules rules = loadOrReport(directory, defaultSource, out);
        if (rules == null) {
            return ERROR;
        }
        LookupStore store = lookupStore(rules, ref, lookupRows, out);
        if (store == null) {
            return ERROR;
        }
        Explanation explanation = rules.withLookups(store).explain(ref, claims, values, System.currentTimeMillis());
        out.print(explanation);
        return explanation.allowed() ? OK : FAILED;
    }

    /** The given lookup rows in a store of their own; null (reported) when they do not fit the rule. */
    private static LookupStore lookupStore(
            LoadedRules rules, TableRef table, Map<String, Object> rows, PrintStream out) {
        Map<String, LookupIndex> declared = rules.lookupsOf(table);
        LookupStore store = new LookupStore(LookupLimits.DEFAULT);
        store.declare(Set.copyOf(declared.values()));
        Map<String, Object> given = rows == null ? Map.of() : rows;
        for (Map.Entry<String, Object> lookup : given.entrySet()) {
            LookupIndex index = declared.get(lookup.getKey());
            if (index == null) {
                out.println("--lookups: the rule for " + table + " declares no lookup '" + lookup.getKey() + "'"
                        + (declared.isEmpty()
                                ? ""
                                : "; its lookups are "
                                        + String.join(", ", new java.util.TreeSet<>(declared.keySet()))));
                return null;
            }
            if (!(lookup.getValue() instanceof List<?> list)) {
                out.println("--lookups: give lookup '" + lookup.getKey() + "' a list of rows, e.g. {" + lookup.getKey()
                        + ": [{id: 1}]}");
                return null;
            }
            long n = 0;
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) {
                    out.println("--lookups: each row of '" + lookup.getKey() + "' is a mapping, e.g. {id: 1}");
                    return null;
                }
                @SuppressWarnings("unchecked")
                Map<String, ?> one = (Map<String, ?>) map;
                store.upsert(index.table(), Map.of("#lookup", lookup.getKey(), "#row", n++), one);
            }
        }
        store.tables().forEach(store::ready);
        return store;
    }

    private static LoadedRules loadOrReport(Path directory, String defaultSource, PrintStream out) {
        if (!isFolder(directory, out)) {
            return null;
        }
        RulesLoader.Result result = new RulesLoader(defaultSource, Set.of()).load(directory, null);
        if (!result.ok()) {
            result.problems().forEach(out::println);
            out.println("The rules in " + directory + " do not load ("
                    + count(result.problems().size(), "problem")
                    + "); fix them first ('undercurrent rules validate').");
            return null;
        }
        return result.rules();
    }

    private static TableRef tableRef(String table, String defaultSource, PrintStream out) {
        if (table == null || table.isBlank()) {
            out.println("--table: give the table, e.g. public.todos or app/public.todos");
            return null;
        }
        int slash = table.indexOf('/');
        if (slash < 0 && defaultSource == null) {
            out.println("--table: no default source is configured; write source/table, e.g. app/public.todos");
            return null;
        }
        String source = slash < 0 ? defaultSource : table.substring(0, slash);
        String name = table.substring(slash + 1);
        if (source.isBlank() || name.isBlank()) {
            out.println("--table: '" + table + "' is not a table; write e.g. public.todos or app/public.todos");
            return null;
        }
        return new TableRef(source, name);
    }

    private static boolean isFolder(Path directory, PrintStream out) {
        if (Files.isDirectory(directory)) {
            return true;
        }
        out.println(directory + ": " + (Files.exists(directory) ? "is not a directory" : "does not exist")
                + "; give the folder that holds the rule files");
        return false;
    }

    private static String tables(LoadedRules rules) {
        List<String> names = new ArrayList<>();
        rules.tables().forEach(table -> names.add(table.toString()));
        names.sort(null);
        return names.isEmpty() ? " (every table is denied)" : ": " + String.join(", ", names);
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
