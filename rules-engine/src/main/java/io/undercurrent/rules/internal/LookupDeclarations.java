package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a rule's {@code lookups:} mapping ({@code name: {table: public.memberships, key: [group_id,
 * user_id]}}), reporting every problem with its place: a name that is not a plain name or collides
 * with a variable, helper or keyword, a repeated name, an unqualified table, an unknown source, a
 * missing, empty, repeated or too long key.
 */
final class LookupDeclarations {

    static final List<String> KEYS = List.of("table", "key", "source", "description");
    /** Most lookups per rule, and most key columns per lookup. */
    static final int MAX_LOOKUPS = 16;

    static final int MAX_KEY_COLUMNS = 4;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final String EXAMPLE =
            "e.g.\n  lookups:\n    member:\n      table: public.memberships\n      key: [group_id, user_id]";

    private LookupDeclarations() {}

    /** A lookup as written, its source not yet defaulted. */
    record Declared(String name, int nameOffset, String source, String table, List<String> key) {}

    /**
     * What a rule's {@code lookups:} declares: the valid lookups, and the names of those with problems
     * (already reported), so that expressions using them are not also reported as unknown.
     */
    record Read(List<Declared> declared, java.util.Set<String> broken) {
        static final Read NONE = new Read(List.of(), java.util.Set.of());
    }

    static Read read(SourceText file, Node value, Function<Node, String> sourceOf, List<RuleProblem> problems) {
        MappingNode mapping = YamlDocuments.mapping(
                file, value, "'lookups' maps names to a table and its key columns, " + EXAMPLE, problems);
        if (mapping == null) {
            return Read.NONE;
        }
        if (mapping.getValue().size() > MAX_LOOKUPS) {
            problems.add(file.problemAt(value.getStartMark(), "at most " + MAX_LOOKUPS + " lookups per rule"));
            return Read.NONE;
        }
        Map<String, Declared> declared = new LinkedHashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = name(file, tuple.getKeyNode(), problems);
            if (name != null && !names.add(name)) {
                problems.add(file.problemAt(
                        tuple.getKeyNode().getStartMark(),
                        "a lookup named '" + name
                                + "' is already declared in this rule; give each lookup its own name"));
                name = null;
            }
            Declared lookup = entry(file, name, tuple, sourceOf, problems);
            if (name != null && lookup != null) {
                declared.put(name, lookup);
            }
        }
        java.util.Set<String> broken = new java.util.HashSet<>(names);
        broken.removeAll(declared.keySet());
        return new Read(List.copyOf(declared.values()), java.util.Set.copyOf(broken));
    }

    /** The declarations with their source defaulted to the rule's, by name. */
    static Map<String, RuleSpec.Lookup> resolve(List<Declared> declared, String ruleSource) {
        Map<String, RuleSpec.Lookup> lookups = new LinkedHashMap<>();
        for (Declared each : declared) {
            String source = each.source() == null ? ruleSource : each.source();
            lookups.put(
                    each.name(),
                    new RuleSpec.Lookup(
                            each.name(),
                            new LookupIndex(new TableRef(source, each.table()), each.key()),
                            each.nameOffset()));
        }
        return lookups;
    }

    private static String name(SourceText file, Node key, List<RuleProblem> problems) {
        if (!(key instanceof ScalarNode scalar) || YamlDocuments.isNull(key)) {
            problems.add(file.problemAt(key.getStartMark(), "a lookup's name is a plain name, e.g. member"));
            return null;
        }
        String name = scalar.getValue();
        String clash = null;
        if (!NAME.matcher(name).matches()) {
            clash = "is not a plain name (letters, digits and _, not starting with a digit)";
        } else if (Keywords.VARIABLES.contains(name)) {
            clash = "is a variable of every rule";
        } else if (Functions.find(name) != null) {
            clash = "is a helper";
        } else if (Keywords.reason(name) != null
                || name.equals("true")
                || name.equals("false")
                || name.equals("null")
                || name.equals("in")
                || name.equals("contains")) {
            clash = "is a word of the language";
        }
        if (clash != null) {
            problems.add(file.problemAt(
                    key.getStartMark(), "lookup name '" + name + "' " + clash + "; choose another, e.g. member"));
            return null;
        }
        return name;
    }

    private static Declared entry(
            SourceText file,
            String name,
            NodeTuple tuple,
            Function<Node, String> sourceOf,
            List<RuleProblem> problems) {
        MappingNode entry = YamlDocuments.mapping(
                file, tuple.getValueNode(), "a lookup is a mapping with table and key, " + EXAMPLE, problems);
        if (entry == null) {
            return null;
        }
        int before = problems.size();
        List<String> seen = new ArrayList<>();
        String source = null;
        String table = null;
        List<String> key = null;
        for (NodeTuple field : entry.getValue()) {
            String fieldName = YamlDocuments.key(file, field, seen, problems);
            if (fieldName == null) {
                continue;
            }
            Node value = field.getValueNode();
            switch (fieldName) {
                case "table" -> {
                    ScalarNode node = RuleFileReader.table(file, value, problems);
                    table = node == null ? null : node.getValue();
                }
                case "key" -> key = key(file, value, problems);
                case "source" -> source = sourceOf.apply(value);
                case "description" -> {
                    // For people reading the file.
                }
                default ->
                    problems.add(file.problemAt(
                            field.getKeyNode().getStartMark(), YamlDocuments.unknownKey(fieldName, KEYS)));
            }
        }
        if (!seen.contains("table")) {
            problems.add(file.problemAt(
                    entry.getStartMark(),
                    "missing 'table': name the table this lookup reads, e.g. table: public.memberships"));
        }
        if (!seen.contains("key")) {
            problems.add(file.problemAt(
                    entry.getStartMark(),
                    "missing 'key': the columns it is looked up by, e.g. key: [group_id, user_id]"));
        }
        if (problems.size() > before || name == null || table == null || key == null) {
            return null;
        }
        return new Declared(name, file.offsetOf(tuple.getKeyNode().getStartMark()), source, table, key);
    }

    private static List<String> key(SourceText file, Node value, List<RuleProblem> problems) {
        List<Node> items;
        if (value instanceof ScalarNode && !YamlDocuments.isNull(value)) {
            items = List.of(value);
        } else if (value instanceof SequenceNode sequence) {
            items = sequence.getValue();
        } else {
            problems.add(
                    file.problemAt(value.getStartMark(), "'key' is a list of columns, e.g. key: [group_id, user_id]"));
            return null;
        }
        if (items.isEmpty() || items.size() > MAX_KEY_COLUMNS) {
            problems.add(file.problemAt(
                    value.getStartMark(),
                    "'key' names 1 to " + MAX_KEY_COLUMNS + " columns, e.g. key: [group_id, user_id]"));
            return null;
        }
        List<String> columns = new ArrayList<>();
        boolean ok = true;
        for (Node item : items) {
            if (!(item instanceof ScalarNode scalar)
                    || YamlDocuments.isNull(item)
                    || scalar.getValue().isBlank()) {
                problems.add(file.problemAt(item.getStartMark(), "a key column is a column name, e.g. user_id"));
                ok = false;
            } else if (columns.contains(scalar.getValue())) {
                problems.add(file.problemAt(
                        item.getStartMark(), "column '" + scalar.getValue() + "' is already part of this key"));
                ok = false;
            } else {
                columns.add(scalar.getValue());
            }
        }
        return ok ? List.copyOf(columns) : null;
    }
}
