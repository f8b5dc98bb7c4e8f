package io.undercurrent.rules;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what the engine told it, for tests. */
final class RecordingListener implements RulesListener {

    final List<Set<TableRef>> reloads = new CopyOnWriteArrayList<>();
    final List<List<RuleProblem>> rejections = new CopyOnWriteArrayList<>();

    @Override
    public void rulesReloaded(RuleSet rules, Set<TableRef> changedTables) {
        reloads.add(changedTables);
    }

    @Override
    public void reloadRejected(List<RuleProblem> problems) {
        rejections.add(problems);
    }
}
