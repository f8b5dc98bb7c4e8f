package io.undercurrent.rules.internal;

import java.util.List;
import java.util.Map;

/**
 * One channel rule as read from YAML, before its expressions are compiled.
 *
 * @param file the file's text, for locations
 * @param source the source its lookups read by default (already defaulted; may be null without lookups)
 * @param pattern the channel name, or a prefix ending in {@code *}
 * @param patternOffset where the pattern is written
 * @param join who may join
 * @param publish who may publish; null when the rule lets nobody publish
 * @param presence the claims others present see, in file order
 * @param lookups the declared lookups by name, in file order
 */
record ChannelSpec(
        SourceText file,
        String source,
        String pattern,
        int patternOffset,
        RuleSpec.Text join,
        RuleSpec.Text publish,
        List<String> presence,
        Map<String, RuleSpec.Lookup> lookups) {

    /** Content that decides whether the rule changed. */
    String content() {
        StringBuilder content = new StringBuilder("channel ")
                .append(pattern)
                .append("\njoin: ")
                .append(join.value())
                .append("\npublish: ")
                .append(publish == null ? "false" : publish.value())
                .append("\npresence: ")
                .append(presence);
        for (RuleSpec.Lookup lookup : lookups.values()) {
            content.append("\nlookup ").append(lookup.describe());
        }
        return content.toString();
    }
}
