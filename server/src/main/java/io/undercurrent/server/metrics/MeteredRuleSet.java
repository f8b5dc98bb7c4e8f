package io.undercurrent.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.ChannelAccess;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rule snapshot that counts its denials per table ({@code undercurrent_rule_denials_total}): every
 * {@link #access} that does not allow a row (the rule said no, no rule covers the table, or the rule
 * failed), and every {@link #mayReadAny} that says no (a subscription refused as {@code forbidden}).
 * Rows a live query's pushed-down rule condition filtered out are never judged, so not counted.
 * Everything else is the snapshot's own answer. Thread-safe.
 */
final class MeteredRuleSet implements RuleSet {

    private final RuleSet rules;
    private final MeterRegistry registry;
    private final Map<TableRef, Counter> denials;

    /** @param denials the counters by table, shared by every snapshot so a reload keeps counting */
    MeteredRuleSet(RuleSet rules, MeterRegistry registry, Map<TableRef, Counter> denials) {
        this.rules = rules;
        this.registry = registry;
        this.denials = denials;
    }

    RuleSet delegate() {
        return rules;
    }

    @Override
    public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        Access access = rules.access(table, auth, row, nowMillis);
        if (!access.allowed()) {
            denied(table);
        }
        return access;
    }

    private void denied(TableRef table) {
        if (table != null) {
            denials.computeIfAbsent(
                            table,
                            t -> Counter.builder("undercurrent.rule.denials")
                                    .description(
                                            "rows and subscriptions the rules refused a subscriber (or no rule allowed)")
                                    .tag("source", t.source())
                                    .tag("table", t.table())
                                    .register(registry))
                    .increment();
        }
    }

    @Override
    public boolean hasRule(TableRef table) {
        return rules.hasRule(table);
    }

    @Override
    public Set<TableRef> tables() {
        return rules.tables();
    }

    @Override
    public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        return rules.explain(table, auth, row, nowMillis);
    }

    @Override
    public String version(TableRef table) {
        return rules.version(table);
    }

    @Override
    public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
        return rules.certainlyVisible(table, auth, column);
    }

    @Override
    public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
        boolean may = rules.mayReadAny(table, auth);
        if (!may) {
            denied(table);
        }
        return may;
    }

    @Override
    public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
        return rules.readCondition(table, auth, nowMillis);
    }

    @Override
    public ChannelAccess channel(String channel, Map<String, ?> auth, long nowMillis) {
        return rules.channel(channel, auth, nowMillis);
    }

    /** The metered snapshot of whatever rules are in force; the same wrapper as long as the snapshot is the same. */
    static final class Supplier implements java.util.function.Supplier<RuleSet> {
        private final java.util.function.Supplier<RuleSet> source;
        private final MeterRegistry registry;
        private final Map<TableRef, Counter> denials = new ConcurrentHashMap<>();
        private volatile MeteredRuleSet last;

        Supplier(java.util.function.Supplier<RuleSet> source, MeterRegistry registry) {
            this.source = source;
            this.registry = registry;
        }

        @Override
        public RuleSet get() {
            RuleSet current = source.get();
            MeteredRuleSet wrapped = last;
            if (wrapped == null || wrapped.delegate() != current) {
                wrapped = new MeteredRuleSet(current, registry, denials);
                last = wrapped;
            }
            return wrapped;
        }
    }

    @Override
    public Set<LookupIndex> lookups() {
        return rules.lookups();
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> lookupBindings(TableRef table) {
        return rules.lookupBindings(table);
    }

    @Override
    public Set<String> claimsRead(TableRef table) {
        return rules.claimsRead(table);
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> channelJoinBindings(String channel) {
        return rules.channelJoinBindings(channel);
    }

    @Override
    public java.util.List<io.undercurrent.rules.LookupBinding> channelJoinBindings() {
        return rules.channelJoinBindings();
    }

    @Override
    public Set<TableRef> lookedUpBy(TableRef table) {
        return rules.lookedUpBy(table);
    }

    /** The same rules over another view of the lookup tables, still counted. */
    @Override
    public RuleSet withLookups(LookupTables lookupTables) {
        return new MeteredRuleSet(rules.withLookups(lookupTables), registry, denials);
    }
}
