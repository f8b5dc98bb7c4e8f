package io.undercurrent.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of a Grafana dashboard, checked against a Prometheus scrape: every {@code undercurrent_*}
 * metric a query names must have samples, every label it selects on must be on them, and every label
 * it groups by must be on one of the query's metrics. {@code OperationsIT} runs it on a real server's
 * scrape, so the dashboard cannot drift from the code.
 */
public final class DashboardQueries {

    /** The dashboard shipped for Grafana (relative to the server module, where tests run). */
    public static final Path DASHBOARD = Path.of("..", "examples", "grafana", "undercurrent.json");

    private static final Pattern METRIC = Pattern.compile("(undercurrent_[a-z_]+)(\\{([^}]*)\\})?");
    private static final Pattern SELECTED = Pattern.compile("([a-zA-Z_]+)\\s*(=~|!~|!=|=)");
    private static final Pattern BY = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL = Pattern.compile("[{,]([a-zA-Z_]+)=\"");
    /** Added by Prometheus when it scrapes, or carried by every histogram bucket. */
    private static final Set<String> AMBIENT = Set.of("instance", "job", "le");

    private final List<String> queries;

    private DashboardQueries(List<String> queries) {
        this.queries = List.copyOf(queries);
    }

    /** Every {@code expr} of the dashboard's panels. */
    public static DashboardQueries read(Path dashboard) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Files.readString(dashboard));
        List<String> queries = new ArrayList<>();
        json.findValues("expr").forEach(e -> queries.add(e.asText()));
        return new DashboardQueries(queries);
    }

    public List<String> queries() {
        return queries;
    }

    /** What in the queries the scrape does not back; empty when every query can show data. */
    public List<String> problems(String scrape) {
        List<String> problems = new ArrayList<>();
        if (queries.isEmpty()) {
            problems.add("the dashboard has no queries");
        }
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            Set<String> labelsOfQuery = new HashSet<>();
            int metrics = 0;
            while (m.find()) {
                metrics++;
                String name = m.group(1);
                List<String> samples = scrape.lines()
                        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                        .toList();
                if (samples.isEmpty()) {
                    problems.add(name + " (in " + query + ") is not exposed");
                    continue;
                }
                samples.forEach(s -> labelsOfQuery.addAll(labelNames(s)));
                if (m.group(3) != null) {
                    Matcher selected = SELECTED.matcher(m.group(3));
                    while (selected.find()) {
                        String label = selected.group(1);
                        if (!AMBIENT.contains(label)
                                && samples.stream().noneMatch(s -> labelNames(s).contains(label))) {
                            problems.add(name + " has no label " + label + " (in " + query + ")");
                        }
                    }
                }
            }
            if (metrics == 0) {
                problems.add("no undercurrent_ metric in " + query);
            }
            Matcher by = BY.matcher(query);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    String l = label.trim();
                    if (!l.isEmpty()
                            && !AMBIENT.contains(l)
                            && !labelsOfQuery.isEmpty()
                            && !labelsOfQuery.contains(l)) {
                        problems.add("grouped by " + l + ", a label none of its metrics has (in " + query + ")");
                    }
                }
            }
        }
        return problems;
    }

    private static Set<String> labelNames(String sample) {
        Set<String> names = new HashSet<>();
        Matcher m = LABEL.matcher(sample);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
