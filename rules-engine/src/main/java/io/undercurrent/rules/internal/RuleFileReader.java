package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the rules of one YAML file (one rule per document; {@code ---} separates several) into
 * {@link RuleSpec}s, reporting every structural problem: bad YAML, unknown or repeated keys,
 * missing or malformed values.
 */
final class RuleFileReader {

    static final List<String> KEYS = List.of("source", "table", "lookups", "read", "fields", "description");
    static final int MAX_MASKS = 64;

    private static final Pattern TABLE = Pattern.compile("[^\\s.]+(\\.[^\\s.]+)+");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final String defaultSource;
    private final Set<String> sources;

    RuleFileReader(String defaultSource, Set<String> sources) {
        this.defaultSource = defaultSource;
        this.sources = sources;
    }

    List<RuleSpec> read(SourceText file, List<RuleProblem> problems) {
        return read(file, problems, new ArrayList<>());
    }

    /**
     * The table rules of {@code file}; its channel rules (documents with {@code channel:}) are added
     * to {@code channels}.
     */
    List<RuleSpec> read(SourceText file, List<RuleProblem> problems, List<ChannelSpec> channels) {
        List<Node> documents = YamlDocuments.compose(file, problems);
        List<RuleSpec> rules = new ArrayList<>();
        if (documents.isEmpty() && problems.isEmpty()) {
            problems.add(new RuleProblem(
                    file.file(),
                    0,
                    0,
                    "the file holds no rule; write one (table: and read:, or channel: and join:) or delete the file"));
        }
        for (Node document : documents) {
            MappingNode mapping = YamlDocuments.mapping(
                    file, document, "a rule is a mapping with the keys " + String.join(", ", KEYS), problems);
            if (mapping != null && isChannelRule(mapping)) {
                ChannelSpec channel = ChannelRuleReader.read(
                        file, mapping, defaultSource, node -> source(file, node, problems), problems);
                if (channel != null) {
                    channels.add(channel);
                }
            } else if (mapping != null) {
                RuleSpec rule = rule(file, mapping, problems);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private static boolean isChannelRule(MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("channel")) {
                return true;
            }
        }
        return false;
    }

    private RuleSpec rule(SourceText file, MappingNode mapping, List<RuleProblem> problems) {
        int before = problems.size();
        List<String> seen = new ArrayList<>();
        String source = defaultSource;
        ScalarNode table = null;
        RuleSpec.Text read = null;
        List<RuleSpec.Mask> masks = List.of();
        LookupDeclarations.Read lookups = LookupDeclarations.Read.NONE;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = YamlDocuments.key(file, tuple, seen, problems);
            Node value = tuple.getValueNode();
            if (key == null) {
                continue;
            }
            switch (key) {
                case "source" -> source = source(file, value, problems);
                case "table" -> table = table(file, value, problems);
                case "read" -> read = expression(file, "read", value, problems);
                case "fields" -> masks = masks(file, value, problems);
                case "lookups" ->
                    lookups = LookupDeclarations.read(file, value, node -> source(file, node, problems), problems);
                case "description" -> {
                    // For people reading the file; the engine has no use for it.
                }
                default ->
                    problems.add(
                            file.problemAt(tuple.getKeyNode().getStartMark(), YamlDocuments.unknownKey(key, KEYS)));
            }
        }
        if (!seen.contains("table")) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "missing 'table': name the table this rule covers, e.g. table: public.todos"));
        }
        if (!seen.contains("read")) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "missing 'read': say who may read the rows,"
                            + " e.g. read: \"row.owner_id == auth.sub\" (read: \"false\" lets nobody read)"));
        }
        if (!seen.contains("source") && defaultSource == null) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "missing 'source': no default source is configured, so say which database this rule is for"));
        }
        if (problems.size() > before || table == null || read == null || source == null) {
            // Still check the expressions, so that one load reports every problem.
            RuleCompiler.checkOnly(
                    read,
                    masks,
                    LookupDeclarations.resolve(lookups.declared(), source == null ? "?" : source),
                    lookups.broken(),
                    problems);
            return null;
        }
        return new RuleSpec(
                file,
                source,
                table.getValue(),
                file.offsetOf(table.getStartMark()),
                read,
                masks,
                LookupDeclarations.resolve(lookups.declared(), source));
    }

    private String source(SourceText file, Node value, List<RuleProblem> problems) {
        String source = YamlDocuments.text(file, "source", value, "source: app", problems);
        if (source == null) {
            return null;
        }
        if (!SOURCE.matcher(source).matches()) {
            problems.add(file.problemAt(value.getStartMark(), "'" + source + "' is not a source name"));
            return null;
        }
        if (!sources.isEmpty() && !sources.contains(source)) {
            problems.add(file.problemAt(
                    value.getStartMark(),
                    "unknown source '" + source + "'; the configured sources are "
                            + String.join(", ", new java.util.TreeSet<>(sources))));
            return null;
        }
        return source;
    }

    static ScalarNode table(SourceText file, Node value, List<RuleProblem> problems) {
        String table = YamlDocuments.text(file, "table", value, "table: public.todos", problems);
        if (table == null) {
            return null;
        }
        if (!TABLE.matcher(table).matches()) {
            problems.add(
                    file.problemAt(
                            value.getStartMark(),
                            "table '" + table + "' must be qualified: "
                                    + "schema.table for Postgres (public.todos), database.table for MySQL, database.collection for MongoDB"));
            return null;
        }
        return (ScalarNode) value;
    }

    private static RuleSpec.Text expression(SourceText file, String key, Node value, List<RuleProblem> problems) {
        String text = YamlDocuments.text(
                file,
                key,
                value,
                "\"row.owner_id == auth.sub\" (quote expressions so YAML keeps them as written)",
                problems);
        return text == null ? null : new RuleSpec.Text(text, ScalarPositions.of(file, (ScalarNode) value));
    }

    private static List<RuleSpec.Mask> masks(SourceText file, Node value, List<RuleProblem> problems) {
        MappingNode mapping = YamlDocuments.mapping(
                file,
                value,
                "'fields' maps column names to conditions,"
                        + " e.g.\n  fields:\n    internal_note: \"auth.role == 'admin'\"",
                problems);
        if (mapping == null) {
            return List.of();
        }
        if (mapping.getValue().size() > MAX_MASKS) {
            problems.add(file.problemAt(value.getStartMark(), "at most " + MAX_MASKS + " field masks per rule"));
            return List.of();
        }
        List<String> seen = new ArrayList<>();
        List<RuleSpec.Mask> masks = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String column = YamlDocuments.key(file, tuple, seen, problems);
            RuleSpec.Text when = expression(file, column == null ? "field" : column, tuple.getValueNode(), problems);
            if (column != null && when != null) {
                masks.add(new RuleSpec.Mask(column, when));
            }
        }
        return masks;
    }
}
