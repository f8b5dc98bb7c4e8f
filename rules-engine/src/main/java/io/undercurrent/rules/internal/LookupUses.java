package io.undercurrent.rules.internal;

import io.undercurrent.rules.internal.Functions.Kind;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A rule's declared lookups, as its expressions are checked: which names exist, and which kind of
 * value (text, number, boolean) each key column was given so far. The engine does not know the
 * looked-up table's column types, but one column holds one kind of value: a key column given a
 * number in one place and a text in another can match in at most one of them, which is a mistake
 * (text never equals a number). One per rule: read and masks share it.
 */
final class LookupUses {

    private final Map<String, RuleSpec.Lookup> lookups;
    private final Set<String> broken;
    private final Map<String, Kind[]> kinds = new HashMap<>();

    LookupUses(Map<String, RuleSpec.Lookup> lookups) {
        this(lookups, Set.of());
    }

    /** @param broken names declared with problems (already reported): using them is not reported again */
    LookupUses(Map<String, RuleSpec.Lookup> lookups, Set<String> broken) {
        this.lookups = Map.copyOf(lookups);
        this.broken = Set.copyOf(broken);
    }

    boolean isBroken(String name) {
        return broken.contains(name);
    }

    RuleSpec.Lookup find(String name) {
        return lookups.get(name);
    }

    Set<String> names() {
        return lookups.keySet();
    }

    Map<String, RuleSpec.Lookup> all() {
        return lookups;
    }

    String unknown(String name) {
        if (lookups.isEmpty()) {
            return "unknown lookup '" + name + "': this rule declares no lookups; declare it under lookups:,"
                    + " e.g.\n  lookups:\n    " + name
                    + ":\n      table: public.memberships\n      key: [group_id, user_id]";
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String known : new java.util.TreeSet<>(lookups.keySet())) {
            int distance = distance(name, known);
            if (distance < best) {
                best = distance;
                closest = known;
            }
        }
        return "unknown lookup '" + name + "'"
                + (best <= 2 ? "; did you mean '" + closest + "'?" : "")
                + " (this rule's lookups: " + String.join(", ", new java.util.TreeSet<>(lookups.keySet())) + ")";
    }

    /** Records that key column {@code position} was given a value of {@code kind}; a message when it clashes. */
    String use(RuleSpec.Lookup lookup, int position, Kind kind) {
        if (kind == Kind.ANY || kind == Kind.CONDITION) {
            return null;
        }
        Kind[] seen = kinds.computeIfAbsent(
                lookup.name(), n -> new Kind[lookup.index().key().size()]);
        if (seen[position] == null) {
            seen[position] = kind;
            return null;
        }
        if (seen[position] == kind) {
            return null;
        }
        String column = lookup.index().key().get(position);
        return "key column " + column + " of lookup '" + lookup.name() + "' is given a " + Checker.kindName(kind)
                + " here and a " + Checker.kindName(seen[position]) + " elsewhere in this rule; a column holds one kind"
                + " of value and text never equals a number, so convert one with str(...) or num(...)";
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
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
