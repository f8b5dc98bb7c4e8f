package io.undercurrent.server;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.Map;
import java.util.Set;

/** Rules for no table, for tests whose stages need a {@link RuleSet} but judge no row: every read is refused. */
public final class NoRules implements RuleSet {

    public static final NoRules INSTANCE = new NoRules();

    private NoRules() {}

    @Override
    public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        throw new UnsupportedOperationException("no table has a rule");
    }

    @Override
    public boolean hasRule(TableRef table) {
        return false;
    }

    @Override
    public Set<TableRef> tables() {
        return Set.of();
    }

    @Override
    public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
        throw new UnsupportedOperationException("no table has a rule");
    }

    @Override
    public String version(TableRef table) {
        return "none";
    }

    @Override
    public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
        return false;
    }

    @Override
    public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
        return false;
    }

    @Override
    public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
        return RowCondition.FALSE;
    }
}
