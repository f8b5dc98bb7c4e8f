package io.undercurrent.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undercurrent.rules.RulesStatus;
import io.undercurrent.rules.TableRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code undercurrent_rule_errors_total{table}}: run-time failures of each table's rule, from the
 * engine's status. The engine counts per loaded rule, from zero again after a reload; this keeps the
 * metric monotonic by carrying the count seen before a reset over. Failures between the last scrape
 * and a reload are lost. Refreshed on every scrape; thread-safe.
 */
final class RuleErrorCounters {

    private final Supplier<RulesStatus> status;
    private final MeterRegistry registry;
    private final Map<TableRef, Tally> tallies = new ConcurrentHashMap<>();

    RuleErrorCounters(Supplier<RulesStatus> status, MeterRegistry registry) {
        this.status = status;
        this.registry = registry;
    }

    synchronized void refresh() {
        Map<TableRef, Long> now = status.get().runtimeErrors();
        for (Map.Entry<TableRef, Long> e : now.entrySet()) {
            tallies.computeIfAbsent(e.getKey(), this::register).observe(e.getValue());
        }
        tallies.forEach((table, tally) -> {
            if (!now.containsKey(table)) {
                tally.observe(0);
            }
        });
    }

    private Tally register(TableRef table) {
        Tally tally = new Tally();
        // The tally is held by this object's map, so Micrometer's weak reference to it stays valid.
        FunctionCounter.builder("undercurrent.rule.errors", tally, Tally::total)
                .description("run-time failures of a table's rule (each one denied)")
                .tag("source", table.source())
                .tag("table", table.table())
                .register(registry);
        return tally;
    }

    private static final class Tally {
        private final AtomicLong carried = new AtomicLong();
        private volatile long lastSeen;

        void observe(long current) {
            if (current < lastSeen) {
                carried.addAndGet(lastSeen); // the rule was reloaded and counts from zero again
            }
            lastSeen = current;
        }

        double total() {
            return carried.get() + lastSeen;
        }
    }
}
