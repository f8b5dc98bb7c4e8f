package io.undercurrent.router.internal;

import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.query.rules.ChangeJudge;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/**
 * Decides what one change means to one subscription, with {@link ChangeJudge} (the edge replays
 * changes on a resume with the same judge), as a delta for the edge. When the old image is unknown
 * (an update without {@code REPLICA IDENTITY FULL}) the router cannot know whether the client holds
 * the row, so it says CHANGED or REMOVED, marked guessed, and lets the edge, which knows the keys its
 * client holds, turn that into added or drop a removal of a row the client never had. Stateless and
 * thread-safe.
 */
final class DeltaComputer {

    private final ChangeJudge judge = new ChangeJudge();

    Delta compute(ChangeEvent change, ActiveSubscription sub, RuleSet rules, long now) {
        ChangeJudge.Effect effect = judge.judge(change, new Judged(sub), rules, now);
        if (effect == null) {
            return null;
        }
        DeltaOp op = switch (effect.kind()) {
            case ADDED -> DeltaOp.ADDED;
            case CHANGED -> DeltaOp.CHANGED;
            case REMOVED -> DeltaOp.REMOVED;
        };
        return new Delta(op, effect.key(), effect.row(), effect.unchanged(), effect.guessed());
    }

    private record Judged(ActiveSubscription sub) implements ChangeJudge.Subscriber {
        @Override
        public TableRef table() {
            return sub.table();
        }

        @Override
        public Map<String, Object> auth() {
            return sub.auth();
        }

        @Override
        public List<String> keyColumns() {
            return sub.keyColumns();
        }

        @Override
        public List<String> fields() {
            return sub.query().fields();
        }

        @Override
        public boolean matches(Map<String, ?> row) {
            return sub.query().matches(row);
        }

        @Override
        public boolean permittedBy(RuleSet rules) {
            return sub.query().permittedBy(rules);
        }
    }
}
