package io.undercurrent.rules.internal;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link RuleSet} the loader builds: an immutable map from table to compiled rule, and the frames
 * its rules evaluate in (one per thread, {@link Frames}).
 */
public final class LoadedRules implements RuleSet {

    private static final LoadedRules EMPTY = new LoadedRules(Map.of());

    private final ChannelRules channels;

    /** Never mutated after construction; the final field publishes it safely. */
    private final HashMap<TableRef, CompiledRule> rules;

    private final LookupTables lookupTables;
    private final Frames frames;
    private final Set<LookupIndex> lookups;
    /** Per table whose rule looks something up, the tables it looks up. */
    private final Map<TableRef, Set<TableRef>> lookedUp;

    LoadedRules(Map<TableRef, CompiledRule> rules) {
        this(rules, ChannelRules.NONE);
    }

    LoadedRules(Map<TableRef, CompiledRule> rules, ChannelRules channels) {
        this.rules = new HashMap<>(rules);
        this.channels = channels;
        this.lookupTables = LookupTables.NONE;
        this.frames = new Frames();
        Set<LookupIndex> lookups = new HashSet<>();
        Map<TableRef, Set<TableRef>> lookedUp = new HashMap<>();
        rules.forEach((table, rule) -> {
            Set<TableRef> tables = new HashSet<>();
            rule.lookups().values().forEach(lookup -> {
                lookups.add(lookup.index());
                tables.add(lookup.index().table());
            });
            if (!tables.isEmpty()) {
                lookedUp.put(table, Set.copyOf(tables));
            }
        });
        for (ChannelRule rule : channels.all()) {
            rule.lookups().values().forEach(lookup -> lookups.add(lookup.index()));
        }
        this.lookups = Set.copyOf(lookups);
        this.lookedUp = Map.copyOf(lookedUp);
    }

    private LoadedRules(LoadedRules rules, LookupTables lookupTables) {
        this.rules = rules.rules;
        this.channels = rules.channels;
        this.lookups = rules.lookups;
        this.lookedUp = rules.lookedUp;
        this.lookupTables = lookupTables;
        this.frames = rules.frames;
    }

    @Override
    public LoadedRules withLookups(LookupTables lookupTables) {
        return new LoadedRules(this, java.util.Objects.requireNonNull(lookupTables, "lookupTables"));
    }

    @Override
    public Set<LookupIndex> lookups() {
        return lookups;
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> lookupBindings(TableRef table) {
        CompiledRule rule = rules.get(table);
        return rule == null ? java.util.List.of() : rule.bindings();
    }

    @Override
    public Set<String> claimsRead(TableRef table) {
        CompiledRule rule = rules.get(table);
        return rule == null ? Set.of() : rule.claimsRead();
    }

    @Override
    public Set<TableRef> lookedUpBy(TableRef table) {
        return lookedUp.getOrDefault(table, Set.of());
    }

    /** The lookup tables these rules consult. */
    public LookupTables lookupTables() {
        return lookupTables;
    }

    /** No rules: everything is denied. */
    public static LoadedRules empty() {
        return EMPTY;
    }

    @Override
    public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        CompiledRule rule = rules.get(table);
        return rule == null ? Decision.DENIED : rule.evaluate(frames, auth, row, nowMillis, lookupTables);
    }

    @Override
    public boolean hasRule(TableRef table) {
        return rules.containsKey(table);
    }

    @Override
    public Set<TableRef> tables() {
        return Set.copyOf(rules.keySet());
    }

    @Override
    public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        CompiledRule rule = rules.get(table);
        return rule == null
                ? ExplainPlan.noRule(table)
                : rule.explainPlan().explain(frames, auth, row, nowMillis, lookupTables);
    }

    @Override
    public String version(TableRef table) {
        CompiledRule rule = rules.get(table);
        return rule == null ? "none" : rule.version();
    }

    @Override
    public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
        CompiledRule rule = rules.get(table);
        return rule != null && rule.certainlyVisible(frames, auth, column);
    }

    @Override
    public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
        CompiledRule rule = rules.get(table);
        return rule != null && !RowCondition.FALSE.equals(rule.readCondition(frames, auth, 0, false));
    }

    @Override
    public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
        CompiledRule rule = rules.get(table);
        return rule == null ? RowCondition.FALSE : rule.readCondition(frames, auth, nowMillis, true);
    }

    @Override
    public ChannelAccess channel(String channel, Map<String, ?> auth, long nowMillis) {
        ChannelRule rule = channel == null ? null : channels.find(channel);
        return rule == null ? ChannelAccess.DENIED : rule.evaluate(frames, channel, auth, nowMillis, lookupTables);
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> channelJoinBindings(String channel) {
        ChannelRule rule = channel == null ? null : channels.find(channel);
        return rule == null ? java.util.List.of() : rule.joinBindings();
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> channelJoinBindings() {
        java.util.List<io.undercurrent.rules.LookupBinding> all = new java.util.ArrayList<>();
        channels.all().forEach(rule -> all.addAll(rule.joinBindings()));
        return all;
    }

    /** The channel rule that decides for {@code channel}, or null. */
    ChannelRule channelRuleFor(String channel) {
        return channels.find(channel);
    }

    ChannelRule channelRule(String pattern) {
        for (ChannelRule rule : channels.all()) {
            if (rule.pattern().equals(pattern)) {
                return rule;
            }
        }
        return null;
    }

    /** How many channel rules (one per channel name or prefix). */
    public int channelRuleCount() {
        return channels.all().size();
    }

    /** How many rules. */
    public int size() {
        return rules.size();
    }

    /** Tables whose rule was added, removed or edited since {@code previous}. */
    public Set<TableRef> changedSince(LoadedRules previous) {
        Set<TableRef> changed = new HashSet<>();
        for (CompiledRule rule : rules.values()) {
            CompiledRule before = previous.rules.get(rule.table());
            if (before == null || !before.content().equals(rule.content())) {
                changed.add(rule.table());
            }
        }
        for (TableRef table : previous.rules.keySet()) {
            if (!rules.containsKey(table)) {
                changed.add(table);
            }
        }
        return Set.copyOf(changed);
    }

    /** Run-time failures per rule, for rules that have failed at least once. */
    public Map<TableRef, Long> runtimeErrors() {
        Map<TableRef, Long> errors = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (CompiledRule rule : rules.values()) {
            long count = rule.errorCount();
            if (count > 0) {
                errors.put(rule.table(), count);
            }
        }
        return errors;
    }

    /** The lookups the rule for {@code table} declares, by name; empty without a rule or lookups. */
    public Map<String, LookupIndex> lookupsOf(TableRef table) {
        CompiledRule rule = rules.get(table);
        Map<String, LookupIndex> lookups = new java.util.LinkedHashMap<>();
        if (rule != null) {
            rule.lookups().forEach((name, lookup) -> lookups.put(name, lookup.index()));
        }
        return lookups;
    }

    CompiledRule rule(TableRef table) {
        return rules.get(table);
    }

    Collection<CompiledRule> all() {
        return rules.values();
    }
}
