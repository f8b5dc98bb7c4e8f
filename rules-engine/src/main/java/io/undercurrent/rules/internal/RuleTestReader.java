package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a {@code *.test.yaml} file into cases, reporting every problem with file:line:col. */
final class RuleTestReader {

    static final List<String> FILE_KEYS =
            List.of("source", "table", "channel", "now", "lookups", "description", "cases");
    static final List<String> CASE_KEYS = List.of(
            "name", "source", "table", "channel", "now", "auth", "row", "lookups", "expect", "publish", "visible",
            "hidden");

    private final String defaultSource;
    private final long defaultNow;

    RuleTestReader(String defaultSource, long defaultNow) {
        this.defaultSource = defaultSource;
        this.defaultNow = defaultNow;
    }

    /** The defaults a file gives its cases. */
    private record Defaults(
            String source, String table, String channel, long now, Map<String, List<Map<String, Object>>> lookups) {}

    List<RuleTestCase> read(SourceText file, List<RuleProblem> problems) {
        List<RuleTestCase> cases = new ArrayList<>();
        for (Node document : YamlDocuments.compose(file, problems)) {
            MappingNode mapping = YamlDocuments.mapping(
                    file,
                    document,
                    "a rule test file is a mapping with the keys " + String.join(", ", FILE_KEYS),
                    problems);
            if (mapping != null) {
                readFile(file, mapping, cases, problems);
            }
        }
        return cases;
    }

    private void readFile(SourceText file, MappingNode mapping, List<RuleTestCase> cases, List<RuleProblem> problems) {
        Map<String, Node> keys = keys(file, mapping, FILE_KEYS, problems);
        String source = keys.containsKey("source")
                ? YamlDocuments.text(file, "source", keys.get("source"), "source: app", problems)
                : defaultSource;
        String table = keys.containsKey("table")
                ? YamlDocuments.text(file, "table", keys.get("table"), "table: public.todos", problems)
                : null;
        String channel = keys.containsKey("channel")
                ? YamlDocuments.text(file, "channel", keys.get("channel"), "channel: group:42", problems)
                : null;
        long now = keys.containsKey("now") ? now(file, keys.get("now"), problems) : defaultNow;
        Node list = keys.get("cases");
        if (!(list instanceof SequenceNode sequence)) {
            problems.add(file.problemAt(
                    list == null ? mapping.getStartMark() : list.getStartMark(),
                    "'cases' must be a list of cases, each with name, auth, row and expect"));
            return;
        }
        Map<String, List<Map<String, Object>>> lookups =
                keys.containsKey("lookups") ? lookups(file, keys.get("lookups"), problems) : Map.of();
        Defaults defaults = new Defaults(source, table, channel, now, lookups);
        for (Node item : sequence.getValue()) {
            MappingNode testCase = YamlDocuments.mapping(
                    file, item, "a case is a mapping with the keys " + String.join(", ", CASE_KEYS), problems);
            if (testCase != null) {
                RuleTestCase read = readCase(file, testCase, defaults, problems);
                if (read != null) {
                    cases.add(read);
                }
            }
        }
    }

    private RuleTestCase readCase(SourceText file, MappingNode mapping, Defaults defaults, List<RuleProblem> problems) {
        int before = problems.size();
        Map<String, Node> keys = keys(file, mapping, CASE_KEYS, problems);
        String name = required(file, mapping, keys, "name", "name: the owner reads their todo", problems);
        String source = keys.containsKey("source")
                ? YamlDocuments.text(file, "source", keys.get("source"), "source: app", problems)
                : defaults.source();
        String table = keys.containsKey("table")
                ? YamlDocuments.text(file, "table", keys.get("table"), "table: public.todos", problems)
                : defaults.table();
        long now = keys.containsKey("now") ? now(file, keys.get("now"), problems) : defaults.now();
        Map<String, Object> auth =
                keys.containsKey("auth") ? mapOrNull(file, keys.get("auth"), "auth", problems) : null;
        Map<String, Object> row = keys.containsKey("row") ? mapOrNull(file, keys.get("row"), "row", problems) : null;
        Map<String, List<Map<String, Object>>> lookups =
                keys.containsKey("lookups") ? lookups(file, keys.get("lookups"), problems) : defaults.lookups();
        String expect = required(file, mapping, keys, "expect", "expect: allow", problems);
        String channel = keys.containsKey("channel")
                ? YamlDocuments.text(file, "channel", keys.get("channel"), "channel: group:42", problems)
                : defaults.channel();
        if (channel != null && !keys.containsKey("table")) {
            return channelCase(file, mapping, keys, name, channel, auth, now, lookups, expect, before, problems);
        }
        if (table == null || source == null) {
            problems.add(file.problemAt(
                    mapping.getStartMark(),
                    "which table? give 'table' (and 'source' when no default"
                            + " source is configured) in the case or at the top of the file"));
        }
        if (row == null) {
            problems.add(file.problemAt(
                    keys.containsKey("row") ? keys.get("row").getStartMark() : mapping.getStartMark(),
                    "'row' must be a mapping of column to value, e.g. row: {id: 1, owner_id: alice}"));
        }
        if (expect != null && !expect.equals("allow") && !expect.equals("deny")) {
            problems.add(file.problemAt(keys.get("expect").getStartMark(), "'expect' must be allow or deny"));
        }
        Set<String> visible = columns(file, keys.get("visible"), "visible", row, problems);
        Set<String> hidden = columns(file, keys.get("hidden"), "hidden", row, problems);
        if ((visible != null || hidden != null) && "deny".equals(expect)) {
            problems.add(
                    file.problemAt(mapping.getStartMark(), "'visible' and 'hidden' only apply when expect is allow"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new RuleTestCase(
                file.locate(file.offsetOf(mapping.getStartMark())),
                name,
                new TableRef(source, table),
                auth,
                row,
                now,
                expect.equals("allow"),
                visible,
                hidden,
                lookups);
    }

    /** A case of a channel rule: {@code expect} is about joining, {@code publish} about publishing. */
    private static RuleTestCase channelCase(
            SourceText file,
            MappingNode mapping,
            Map<String, Node> keys,
            String name,
            String channel,
            Map<String, Object> auth,
            long now,
            Map<String, List<Map<String, Object>>> lookups,
            String expect,
            int before,
            List<RuleProblem> problems) {
        if (expect != null && !expect.equals("allow") && !expect.equals("deny")) {
            problems.add(file.problemAt(
                    keys.get("expect").getStartMark(), "'expect' must be allow or deny (whether the client may join)"));
        }
        String publish = keys.containsKey("publish")
                ? YamlDocuments.text(file, "publish", keys.get("publish"), "publish: allow", problems)
                : null;
        if (publish != null && !publish.equals("allow") && !publish.equals("deny")) {
            problems.add(file.problemAt(keys.get("publish").getStartMark(), "'publish' must be allow or deny"));
        }
        for (String tableOnly : List.of("row", "visible", "hidden")) {
            if (keys.containsKey(tableOnly)) {
                problems.add(file.problemAt(
                        keys.get(tableOnly).getStartMark(),
                        "'" + tableOnly + "' belongs to a table rule's case; a channel case gives channel, auth,"
                                + " expect (join) and publish"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new RuleTestCase(
                file.locate(file.offsetOf(mapping.getStartMark())),
                name,
                null,
                auth,
                null,
                now,
                expect.equals("allow"),
                null,
                null,
                lookups,
                channel,
                publish == null ? null : publish.equals("allow"));
    }

    /** {@code lookups: {member: [{group_id: 1, user_id: u1}, ...]}}: rows by lookup name. */
    private static Map<String, List<Map<String, Object>>> lookups(
            SourceText file, Node node, List<RuleProblem> problems) {
        String example = "e.g. lookups: {member: [{group_id: 1, user_id: alice, role: owner}]}";
        MappingNode mapping =
                YamlDocuments.mapping(file, node, "'lookups' maps lookup names to lists of rows, " + example, problems);
        if (mapping == null) {
            return Map.of();
        }
        Map<String, List<Map<String, Object>>> lookups = new java.util.LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = YamlDocuments.key(file, tuple, seen, problems);
            Node value = tuple.getValueNode();
            if (!(value instanceof SequenceNode sequence)) {
                problems.add(
                        file.problemAt(value.getStartMark(), "a lookup's rows are a list of mappings, " + example));
                continue;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof MappingNode row) {
                    rows.add(YamlValues.map(file, row, problems));
                } else {
                    problems.add(file.problemAt(
                            item.getStartMark(),
                            "a row is a mapping of column to value, e.g. {group_id: 1, user_id: alice}"));
                }
            }
            if (name != null) {
                lookups.put(name, List.copyOf(rows));
            }
        }
        return lookups;
    }

    private static Map<String, Node> keys(
            SourceText file, MappingNode mapping, List<String> known, List<RuleProblem> problems) {
        Map<String, Node> keys = new java.util.LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = YamlDocuments.key(file, tuple, seen, problems);
            if (key != null && known.contains(key)) {
                keys.put(key, tuple.getValueNode());
            } else if (key != null) {
                problems.add(file.problemAt(tuple.getKeyNode().getStartMark(), YamlDocuments.unknownKey(key, known)));
            }
        }
        return keys;
    }

    private static String required(
            SourceText file,
            MappingNode mapping,
            Map<String, Node> keys,
            String key,
            String example,
            List<RuleProblem> problems) {
        if (!keys.containsKey(key)) {
            problems.add(file.problemAt(mapping.getStartMark(), "missing '" + key + "', e.g. " + example));
            return null;
        }
        return YamlDocuments.text(file, key, keys.get(key), example, problems);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOrNull(SourceText file, Node node, String key, List<RuleProblem> problems) {
        if (YamlDocuments.isNull(node)) {
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            problems.add(file.problemAt(
                    node.getStartMark(),
                    "'" + key + "' must be a mapping, e.g. " + key + ": {sub: alice}"
                            + (key.equals("auth") ? " (or null for an anonymous subscriber)" : "")));
            return null;
        }
        return YamlValues.map(file, mapping, problems);
    }

    private static Set<String> columns(
            SourceText file, Node node, String key, Map<String, Object> row, List<RuleProblem> problems) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(
                    file.problemAt(node.getStartMark(), "'" + key + "' must be a list of columns, e.g. [id, title]"));
            return null;
        }
        Set<String> columns = new LinkedHashSet<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || YamlDocuments.isNull(item)) {
                problems.add(file.problemAt(item.getStartMark(), "'" + key + "' lists column names"));
            } else if (row != null && !row.containsKey(scalar.getValue())) {
                problems.add(file.problemAt(
                        item.getStartMark(),
                        "'" + scalar.getValue() + "' is not a column of this"
                                + " case's row; list only columns the row has"));
            } else {
                columns.add(scalar.getValue());
            }
        }
        return columns;
    }

    private static long now(SourceText file, Node node, List<RuleProblem> problems) {
        Object value = node instanceof ScalarNode ? YamlValues.value(file, node, problems) : null;
        Object millis = value instanceof String text ? Numbers.millis(text) : value instanceof Long ? value : null;
        if (millis == null) {
            problems.add(file.problemAt(
                    node.getStartMark(),
                    "'now' must be epoch milliseconds or an instant, e.g. now: 2024-05-01T12:00:00Z"));
            return 0;
        }
        return (Long) millis;
    }
}
