package io.undercurrent.server.e2e.chaos;

import java.util.List;
import java.util.Map;

/**
 * One way the rule of a {@link ChaosTable} may read; an edit swaps one for another. Each grants rows
 * by owner, group, visibility or score, and masks other fields. A variant's {@code read} never looks
 * at a column it masks, so a row can be judged as the client received it.
 */
record RuleVariant(String name, String read, Map<String, String> masks) {

    static final List<RuleVariant> ALL = List.of(
            new RuleVariant("owner", "row.owner_id == auth.sub || auth.role == 'admin'",
                    Map.of("secret", "auth.role == 'admin'")),
            new RuleVariant("group", "auth != null && (row.grp == auth.grp || auth.role == 'admin')",
                    Map.of("secret", "row.owner_id == auth.sub")),
            new RuleVariant("public", "row.pub || (auth != null && (row.owner_id == auth.sub || auth.role == 'admin'))",
                    Map.of("secret", "auth.role == 'admin'", "title", "auth != null")),
            new RuleVariant("team", "auth != null && ((row.pub && row.grp == auth.grp) || row.owner_id == auth.sub || auth.role == 'admin')",
                    Map.of("secret", "row.owner_id == auth.sub || auth.role == 'admin'", "title", "row.grp == auth.grp")),
            new RuleVariant("score", "auth != null && (row.score >= 5 || row.owner_id == auth.sub)", Map.of()));

    /** The rule file's text for {@code table}, plus (when {@code marker}) a rule for a table that does not exist. */
    String yaml(String table, boolean marker) {
        StringBuilder out = new StringBuilder();
        out.append("# variant ").append(name).append('\n');
        out.append("source: app\ntable: ").append(table).append('\n');
        out.append("read: \"").append(read).append("\"\n");
        if (!masks.isEmpty()) {
            out.append("fields:\n");
            masks.forEach((column, condition) -> out.append("  ").append(column).append(": \"").append(condition).append("\"\n"));
        }
        if (marker) {
            out.append("---\nsource: app\ntable: ").append(table).append("_marker\nread: \"false\"\n");
        }
        return out.toString();
    }
}
