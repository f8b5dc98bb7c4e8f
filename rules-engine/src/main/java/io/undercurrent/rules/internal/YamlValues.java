package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns YAML test data into canonical values, the way rows and claims reach rules: whole numbers
 * are Long, decimals BigDecimal (exact, from the text), {@code true}/{@code false} Boolean,
 * {@code null}/{@code ~}/empty null, and everything else, quoted or not, text. YAML 1.1's surprises
 * ({@code yes}, {@code 0x1F}, {@code 1_000}, dates) stay text, as written.
 */
final class YamlValues {

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d{1,3})?");

    private YamlValues() {}

    static Object value(SourceText source, Node node, List<RuleProblem> problems) {
        if (node instanceof MappingNode mapping) {
            return map(source, mapping, problems);
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(value(source, item, problems));
            }
            return list;
        }
        return scalar((ScalarNode) node);
    }

    static Map<String, Object> map(SourceText source, MappingNode mapping, List<RuleProblem> problems) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = YamlDocuments.key(source, tuple, seen, problems);
            if (key != null) {
                map.put(key, value(source, tuple.getValueNode(), problems));
            }
        }
        return map;
    }

    private static Object scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        if (scalar.getScalarStyle() != ScalarStyle.PLAIN) {
            return text;
        }
        if (text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL")) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        if (INTEGER.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (DECIMAL.matcher(text).matches()) {
            BigDecimal decimal = new BigDecimal(text);
            return text.contains(".") || text.contains("e") || text.contains("E")
                    ? decimal
                    : Numbers.normalize(decimal);
        }
        return text;
    }
}
