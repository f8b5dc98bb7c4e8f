package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Parses a YAML (or JSON) mapping given on the command line into canonical values. */
public final class InlineYaml {

    private InlineYaml() {}

    /**
     * @param label names the text in problems, e.g. "--row"
     * @return the mapping, or null when {@code text} is null, blank or {@code null} (or there was a problem)
     */
    public static Map<String, Object> mapping(String label, String text, List<RuleProblem> problems) {
        if (text == null || text.isBlank() || text.strip().equals("null")) {
            return null;
        }
        SourceText source = new SourceText(Path.of(label), text);
        List<Node> documents = YamlDocuments.compose(source, problems);
        if (documents.size() != 1 || !(documents.get(0) instanceof MappingNode mapping)) {
            if (problems.isEmpty()) {
                problems.add(
                        new RuleProblem(source.file(), 0, 0, "expected one mapping, e.g. {sub: alice, role: admin}"));
            }
            return null;
        }
        return YamlValues.map(source, mapping, problems);
    }
}
