package io.undercurrent.rules;

import java.util.List;
import java.util.Set;

/**
 * Told about hot reloads. Called on the engine's watcher thread, one call at a time; keep the work
 * short (hand it to your own executor). An exception thrown here is logged and otherwise ignored:
 * it cannot undo a reload.
 */
public interface RulesListener {

    /** Listens to nothing. */
    RulesListener NONE = new RulesListener() {};

    /**
     * New rules are live (already returned by {@link RulesEngine#current()}).
     *
     * @param rules the new snapshot
     * @param changedTables tables whose rule was added, removed or edited; subscriptions on them must be
     *     re-judged (reset). Empty when the files changed but no rule did.
     */
    default void rulesReloaded(RuleSet rules, Set<TableRef> changedTables) {}

    /**
     * A change in the rules directory was refused; the running rules are untouched.
     *
     * @param problems every problem found; never empty
     */
    default void reloadRejected(List<RuleProblem> problems) {}
}
