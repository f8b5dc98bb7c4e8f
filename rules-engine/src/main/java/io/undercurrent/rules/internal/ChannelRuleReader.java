package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a channel rule (a YAML document with {@code channel:}), reporting every structural problem
 * with its place. Its expressions are checked here too, so that one load reports everything.
 */
final class ChannelRuleReader {

    static final List<String> KEYS =
            List.of("channel", "source", "lookups", "join", "publish", "presence", "description");

    /** A channel name: what clients may name in {@code join}. Kept in step with the edge's protocol check. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@/-]{1,128}");

    static final int MAX_PRESENCE_CLAIMS = 16;

    private ChannelRuleReader() {}

    /** The rule, or null when a problem was added. */
    static ChannelSpec read(
            SourceText file,
            MappingNode mapping,
            String defaultSource,
            Function<Node, String> sourceOf,
            List<RuleProblem> problems) {
        int before = problems.size();
        List<String> seen = new ArrayList<>();
        String source = defaultSource;
        ScalarNode pattern = null;
        RuleSpec.Text join = null;
        RuleSpec.Text publish = null;
        List<String> presence = List.of();
        LookupDeclarations.Read lookups = LookupDeclarations.Read.NONE;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = YamlDocuments.key(file, tuple, seen, problems);
            Node value = tuple.getValueNode();
            if (key == null) {
                continue;
            }
            switch (key) {
                case "channel" -> pattern = pattern(file, value, problems);
                case "source" -> source = sourceOf.apply(value);
                case "join" -> join = expression(file, "join", value, problems);
                case "publish" -> publish = expression(file, "publish", value, problems);
                case "presence" -> presence = presence(file, value, problems);
                case "lookups" -> lookups = LookupDeclarations.read(file, value, sourceOf, problems);
                case "description" -> {
                    // For people reading the file.
                }
                default ->
                    problems.add(
                            file.problemAt(tuple.getKeyNode().getStartMark(), YamlDocuments.unknownKey(key, KEYS)));
            }
        }
        if (!seen.contains("join")) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "missing 'join': say who may join the channel, e.g. join: \"auth != null\""));
        }
        if (!lookups.declared().isEmpty() && source == null && !seen.contains("source")) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "missing 'source': no default source is configured, so say which database the lookups read"));
        }
        String lookupSource = source == null ? "?" : source;
        var resolved = LookupDeclarations.resolve(lookups.declared(), lookupSource);
        ChannelSpec spec = pattern == null || join == null
                ? null
                : new ChannelSpec(
                        file,
                        source,
                        pattern.getValue(),
                        file.offsetOf(pattern.getStartMark()),
                        join,
                        publish,
                        presence,
                        resolved);
        if (spec == null || problems.size() > before || !lookups.broken().isEmpty()) {
            RuleCompiler.checkChannelOnly(join, publish, resolved, lookups.broken(), problems);
            return null;
        }
        return spec;
    }

    private static ScalarNode pattern(SourceText file, Node value, List<RuleProblem> problems) {
        String text = YamlDocuments.text(file, "channel", value, "\"group:*\"", problems);
        if (text == null) {
            return null;
        }
        String name = text.endsWith("*") ? text.substring(0, text.length() - 1) : text;
        if (!(name.isEmpty() && text.equals("*")) && !NAME.matcher(name).matches()) {
            problems.add(file.problemAt(
                    value.getStartMark(),
                    "channel '" + text + "' is not a channel name or pattern: write a name of 1 to 128 letters,"
                            + " digits and _ - . : @ / (e.g. lobby), or such a prefix ending in * for every"
                            + " channel that starts with it (e.g. group:*)"));
            return null;
        }
        return (ScalarNode) value;
    }

    private static RuleSpec.Text expression(SourceText file, String key, Node value, List<RuleProblem> problems) {
        String text = YamlDocuments.text(
                file, key, value, "\"auth != null\" (quote expressions so YAML keeps them as written)", problems);
        return text == null ? null : new RuleSpec.Text(text, ScalarPositions.of(file, (ScalarNode) value));
    }

    private static List<String> presence(SourceText file, Node value, List<RuleProblem> problems) {
        if (!(value instanceof SequenceNode list)) {
            problems.add(file.problemAt(
                    value.getStartMark(),
                    "'presence' lists the claims others see of a client present in the channel,"
                            + " e.g. presence: [sub, name]"));
            return List.of();
        }
        if (list.getValue().size() > MAX_PRESENCE_CLAIMS) {
            problems.add(
                    file.problemAt(value.getStartMark(), "at most " + MAX_PRESENCE_CLAIMS + " claims in 'presence'"));
            return List.of();
        }
        List<String> claims = new ArrayList<>();
        for (Node item : list.getValue()) {
            if (!(item instanceof ScalarNode scalar)
                    || YamlDocuments.isNull(item)
                    || scalar.getValue().isBlank()) {
                problems.add(file.problemAt(item.getStartMark(), "a presence claim is a claim's name, e.g. sub"));
            } else if (claims.contains(scalar.getValue())) {
                problems.add(file.problemAt(
                        item.getStartMark(), "claim '" + scalar.getValue() + "' is listed twice in 'presence'"));
            } else {
                claims.add(scalar.getValue());
            }
        }
        return List.copyOf(claims);
    }
}
