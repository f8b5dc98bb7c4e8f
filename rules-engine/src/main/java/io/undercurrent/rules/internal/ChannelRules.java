package io.undercurrent.rules.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded channel rules, found by channel name: a rule naming the channel exactly wins over
 * prefixes, and a longer prefix over a shorter one. Immutable.
 */
final class ChannelRules {

    static final ChannelRules NONE = new ChannelRules(List.of());

    private final Map<String, ChannelRule> exact = new HashMap<>();
    /** Longest prefix first, so the first match is the most specific. */
    private final List<ChannelRule> prefixes = new ArrayList<>();

    ChannelRules(Collection<ChannelRule> rules) {
        for (ChannelRule rule : rules) {
            if (rule.isPrefix()) {
                prefixes.add(rule);
            } else {
                exact.put(rule.pattern(), rule);
            }
        }
        prefixes.sort(
                Comparator.comparingInt((ChannelRule r) -> r.prefix().length()).reversed());
    }

    /** The rule that decides for {@code channel}, or null when none covers it. */
    ChannelRule find(String channel) {
        ChannelRule rule = exact.get(channel);
        if (rule != null) {
            return rule;
        }
        for (ChannelRule prefix : prefixes) {
            if (channel.startsWith(prefix.prefix())) {
                return prefix;
            }
        }
        return null;
    }

    List<ChannelRule> all() {
        List<ChannelRule> all = new ArrayList<>(exact.values());
        all.addAll(prefixes);
        return all;
    }
}
