package io.undercurrent.server.e2e.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One way the rule of a {@link ChaosTable} may read; an edit swaps one for another. Each grants rows
 * by owner, group, visibility or score, and masks other fields. A variant's {@code read} never looks
 * at a column it masks, so a row can be judged as the client received it.
 *
 * <p>What the protocol makes of each variant, written down here rather than asked of the rules
 * engine: whether an anonymous subscriber may read anything ({@code forbidden} otherwise), and for
 * which subscribers each mask is certainly true (it reads neither {@code row} nor {@code now} and
 * holds for their claims), which decides whether a query may filter or order by that column.
 *
 * @param anonymousMayRead whether {@code read} can be true for some row when {@code auth} is null
 */
record RuleVariant(String name, String read, Map<String, Mask> masks, boolean anonymousMayRead) {

    /**
     * A field mask and the subscribers (claims; null for anonymous) it certainly shows the field to.
     */
    record Mask(String condition, Predicate<Map<String, Object>> certainFor) {
        static Mask readsRow(String condition) {
            return new Mask(condition, auth -> false);
        }
    }

    private static final Predicate<Map<String, Object>> ADMIN =
            auth -> auth != null && "admin".equals(auth.get("role"));
    private static final Predicate<Map<String, Object>> SIGNED_IN = auth -> auth != null;

    static final List<RuleVariant> ALL = List.of(
            new RuleVariant(
                    "owner",
                    "row.owner_id == auth.sub || auth.role == 'admin'",
                    masks("secret", new Mask("auth.role == 'admin'", ADMIN)),
                    false),
            new RuleVariant(
                    "group",
                    "auth != null && (row.grp == auth.grp || auth.role == 'admin')",
                    masks("secret", Mask.readsRow("row.owner_id == auth.sub")),
                    false),
            new RuleVariant(
                    "public",
                    "row.pub || (auth != null && (row.owner_id == auth.sub || auth.role == 'admin'))",
                    masks(
                            "secret",
                            new Mask("auth.role == 'admin'", ADMIN),
                            "title",
                            new Mask("auth != null", SIGNED_IN)),
                    true),
            new RuleVariant(
                    "team",
                    "auth != null && ((row.pub && row.grp == auth.grp) || row.owner_id == auth.sub || auth.role == 'admin')",
                    masks(
                            "secret",
                            Mask.readsRow("row.owner_id == auth.sub || auth.role == 'admin'"),
                            "title",
                            Mask.readsRow("row.grp == auth.grp")),
                    false),
            new RuleVariant("score", "auth != null && (row.score >= 5 || row.owner_id == auth.sub)", Map.of(), false));

    private static Map<String, Mask> masks(Object... columnsAndMasks) {
        Map<String, Mask> out = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndMasks.length; i += 2) {
            out.put((String) columnsAndMasks[i], (Mask) columnsAndMasks[i + 1]);
        }
        return out;
    }

    /**
     * Why the edge must refuse {@code query} for a subscriber with {@code auth} under this variant
     * ({@code forbidden}), or null when it must admit it.
     */
    String refusal(Map<String, Object> auth, QueryShape query) {
        if (auth == null && !anonymousMayRead) {
            return name + " lets no anonymous subscriber read anything";
        }
        for (String column : query.filteredOrOrdered()) {
            Mask mask = masks.get(column);
            if (mask != null && !mask.certainFor().test(auth)) {
                return name + " hides " + column + ", which the query filters or orders by";
            }
        }
        return null;
    }

    /** The rule file's text for {@code table}, plus (when {@code marker}) a rule for a table that does not exist. */
    String yaml(String table, boolean marker) {
        StringBuilder out = new StringBuilder();
        out.append("# variant ").append(name).append('\n');
        out.append("source: app\ntable: ").append(table).append('\n');
        out.append("read: \"").append(read).append("\"\n");
        if (!masks.isEmpty()) {
            out.append("fields:\n");
            masks.forEach((column, mask) -> out.append("  ")
                    .append(column)
                    .append(": \"")
                    .append(mask.condition())
                    .append("\"\n"));
        }
        if (marker) {
            out.append("---\nsource: app\ntable: ").append(table).append("_marker\nread: \"false\"\n");
        }
        return out.toString();
    }
}
