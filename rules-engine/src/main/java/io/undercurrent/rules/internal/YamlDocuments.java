package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Composes a YAML file into node trees (never into Java objects: no tags are constructed, so no
 * YAML-level deserialization surface) and offers the small checks both rule and test files need.
 */
final class YamlDocuments {

    private YamlDocuments() {}

    /**
     * The documents of {@code source}; on a YAML syntax error, or past the {@link YamlLimits}, a
     * problem and no documents.
     */
    static List<Node> compose(SourceText source, List<RuleProblem> problems) {
        if (!YamlLimits.check(source, problems)) {
            return List.of();
        }
        // Checked above with positions; SnakeYAML's own limits stay as a second line.
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(YamlLimits.MAX_DEPTH + 1);
        options.setCodePointLimit(YamlLimits.MAX_FILE_BYTES);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(
                new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options);
        List<Node> documents = new ArrayList<>();
        try {
            for (Node document : yaml.composeAll(new StringReader(source.text()))) {
                documents.add(document);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            String message = "invalid YAML: " + problem + context;
            problems.add(
                    mark != null ? source.problemAt(mark, message) : new RuleProblem(source.file(), 0, 0, message));
            return List.of();
        } catch (YAMLException e) {
            problems.add(new RuleProblem(source.file(), 0, 0, "invalid YAML: " + e.getMessage()));
            return List.of();
        }
        return documents;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    /** The key's text, or null (and a problem) when a key is not a plain scalar or repeats. */
    static String key(SourceText source, NodeTuple tuple, List<String> seen, List<RuleProblem> problems) {
        if (!(tuple.getKeyNode() instanceof ScalarNode scalar) || isNull(scalar)) {
            problems.add(source.problemAt(tuple.getKeyNode().getStartMark(), "keys must be plain names"));
            return null;
        }
        String key = scalar.getValue();
        if (seen.contains(key)) {
            problems.add(
                    source.problemAt(scalar.getStartMark(), "duplicate key '" + key + "'; each key may appear once"));
            return null;
        }
        seen.add(key);
        return key;
    }

    /** A non-empty scalar's value, or null with a problem. */
    static String text(SourceText source, String key, Node value, String example, List<RuleProblem> problems) {
        if (!(value instanceof ScalarNode scalar)
                || isNull(value)
                || scalar.getValue().isBlank()) {
            problems.add(source.problemAt(value.getStartMark(), "'" + key + "' must be a text value, e.g. " + example));
            return null;
        }
        return scalar.getValue();
    }

    static MappingNode mapping(SourceText source, Node node, String what, List<RuleProblem> problems) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        problems.add(source.problemAt(node.getStartMark(), what));
        return null;
    }

    /** "unknown key 'reed'; did you mean 'read'? (...)" */
    static String unknownKey(String key, List<String> known) {
        String closest = null;
        int best = 3;
        for (String candidate : known) {
            int distance =
                    distance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        return "unknown key '" + key + "'" + (closest != null ? "; did you mean '" + closest + "'?" : "")
                + " (the keys are " + String.join(", ", known) + ")";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
