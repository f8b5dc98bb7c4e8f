package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * How large a rule (or rule test) file may be, checked before anything is built from it: its size
 * in bytes, and its YAML's nesting depth and number of values, aliases counted as what they expand
 * to. A rule file holds a few small mappings; a file of megabytes, a deep nesting or an alias bomb
 * is refused with a problem at the place it crosses the limit, instead of making the server (and
 * every hot reload) read, compose and hold it.
 *
 * <p>SnakeYAML's own limits do not suffice: its code point limit counts per document, so a file of
 * many small documents passes it, and its depth and alias limits fail without a position.
 */
final class YamlLimits {

    /** Most bytes in one file. */
    static final int MAX_FILE_BYTES = 1024 * 1024;
    /** Most levels of nested mappings and lists. */
    static final int MAX_DEPTH = 40;
    /** Most values (scalars, mappings, lists) in one file, aliases counted as the values they stand for. */
    static final int MAX_VALUES = 10_000;

    private YamlLimits() {}

    private record Open(String anchor, long firstValue) {}

    /**
     * True when {@code source} is within the limits; otherwise adds one problem, where a limit was
     * crossed. YAML syntax errors are left to the composer, which reports them with their position.
     */
    static boolean check(SourceText source, List<RuleProblem> problems) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        Deque<Open> open = new ArrayDeque<>();
        Set<String> openAnchors = new HashSet<>();
        Map<String, Long> anchored = new HashMap<>();
        long values = 0;
        try {
            for (Event event : new Yaml(options).parse(new StringReader(source.text()))) {
                if (event instanceof DocumentStartEvent) {
                    anchored.clear(); // anchors belong to their document
                } else if (event instanceof ScalarEvent scalar) {
                    values++;
                    if (scalar.getAnchor() != null) {
                        anchored.put(scalar.getAnchor(), 1L);
                    }
                } else if (event instanceof CollectionStartEvent start) {
                    values++;
                    if (open.size() == MAX_DEPTH) {
                        problems.add(source.problemAt(
                                event.getStartMark(),
                                "nested more than " + MAX_DEPTH
                                        + " levels deep; a rule is a flat mapping (table, read, fields)"));
                        return false;
                    }
                    open.push(new Open(start.getAnchor(), values));
                    if (start.getAnchor() != null) {
                        openAnchors.add(start.getAnchor());
                    }
                } else if (event instanceof CollectionEndEvent) {
                    Open done = open.pop();
                    if (done.anchor() != null) {
                        openAnchors.remove(done.anchor());
                        anchored.put(done.anchor(), values - done.firstValue() + 1);
                    }
                } else if (event instanceof AliasEvent alias) {
                    if (openAnchors.contains(alias.getAnchor())) {
                        problems.add(
                                source.problemAt(
                                        event.getStartMark(),
                                        "*" + alias.getAnchor()
                                                + " refers to a mapping or list that contains it; rule files cannot hold recursive values"));
                        return false;
                    }
                    values += anchored.getOrDefault(alias.getAnchor(), 1L);
                }
                if (values > MAX_VALUES) {
                    problems.add(source.problemAt(
                            event.getStartMark(),
                            "the file holds more than " + MAX_VALUES
                                    + " YAML values from here on (aliases count as the values they repeat); a rule file holds a few rules:"
                                    + " split it into several files"));
                    return false;
                }
            }
        } catch (YAMLException syntax) {
            return true;
        }
        return true;
    }
}
