package io.undercurrent.edge.internal;

import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.MalformedChangeException;
import io.undercurrent.change.Watermark;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.rules.ChangeJudge;
import io.undercurrent.query.rules.MaskedColumnUse;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The changes a resuming client missed before the routers took its subscription up again: each
 * partition of the source's change topic is read from the position's offset to the routers' start,
 * and every change of the table is judged for this one query with the router's own
 * {@link ChangeJudge}, under the same rules version and claims, so a replayed delta is exactly the one
 * the routers would have delivered had the client never left. Worker threads only; stateless.
 */
final class ResumeReplay {

    private final ChangeHistory history;
    private final ChangeEventCodec changes = new ChangeEventCodec();
    private final ChangeJudge judge = new ChangeJudge();

    ResumeReplay(ChangeHistory history) {
        this.history = history;
    }

    /**
     * @param to       per partition, the offset routers deliver from (exclusive end of the replay)
     * @param maxDeltas most deltas replayed; more is not resumed
     * @return per partition (every one replayed, possibly with no change), the changes with deltas, in offset order
     */
    Map<Integer, List<Delivery.Changes>> replay(
            EdgeSubscription sub, EdgeSubscription.ResumePlan plan, RuleSet rules, long now, int maxDeltas)
            throws NotResumableException {
        Subscriber subscriber = new Subscriber(sub.table(), sub.query(), sub.schema(), plan.auth());
        Map<Integer, List<Delivery.Changes>> out = new TreeMap<>();
        int[] count = {0};
        ResumePosition position = plan.position();
        for (int p = 0; p < plan.partitionCount(); p++) {
            int partition = p;
            List<Delivery.Changes> taken = new ArrayList<>();
            out.put(partition, taken);
            long from = position.next()[p];
            long to = plan.from().get(p);
            NotResumableException[] tooMany = {null};
            history.read(sub.table().source(), partition, from, to, record -> {
                if (tooMany[0] != null) {
                    return;
                }
                Delivery.Changes delivery = judged(record, partition, subscriber, sub, plan, rules, now);
                if (delivery != null) {
                    taken.add(delivery);
                    if (++count[0] > maxDeltas) {
                        tooMany[0] = new NotResumableException("too many changes since the position");
                    }
                }
            });
            if (tooMany[0] != null) {
                throw tooMany[0];
            }
        }
        return out;
    }

    private Delivery.Changes judged(
            ConsumerRecord<byte[], byte[]> record,
            int partition,
            Subscriber subscriber,
            EdgeSubscription sub,
            EdgeSubscription.ResumePlan plan,
            RuleSet rules,
            long now) {
        if (record.value() == null || record.headers().lastHeader(Watermark.HEADER) != null) {
            return null; // a watermark is no change
        }
        ChangeEvent change;
        try {
            change = changes.decode(record.value());
        } catch (MalformedChangeException e) {
            return null; // routers skip it too
        }
        if (!sub.table().source().equals(change.source())
                || !sub.table().table().equals(change.table())) {
            return null;
        }
        ChangeJudge.Effect effect = judge.judge(change, subscriber, rules, now);
        if (effect == null) {
            return null;
        }
        DeltaOp op = switch (effect.kind()) {
            case ADDED -> DeltaOp.ADDED;
            case CHANGED -> DeltaOp.CHANGED;
            case REMOVED -> DeltaOp.REMOVED;
        };
        Delta delta = new Delta(op, effect.key(), effect.row(), effect.unchanged(), effect.guessed());
        return new Delivery.Changes(
                change.source(),
                partition,
                record.offset(),
                change.txId(),
                change.position(),
                change.commitTimeMs(),
                change.ingestTimeMs(),
                List.of(new Delivery.Target(sub.id(), plan.generation(), plan.rulesVersion(), List.of(delta))),
                change.sourceOrder());
    }

    /** The resuming query, as the router compiles it. */
    private static final class Subscriber implements ChangeJudge.Subscriber {
        private final TableRef table;
        private final LiveQuery query;
        private final TableSchema schema;
        private final Map<String, Object> auth;
        private final RowMatcher matcher;
        private RuleSet judgedBy;
        private boolean permitted;

        Subscriber(TableRef table, LiveQuery query, TableSchema schema, Map<String, Object> auth) {
            this.table = table;
            this.query = query;
            this.schema = schema;
            this.auth = auth;
            this.matcher = RowMatcher.compile(query.where(), schema);
        }

        @Override
        public TableRef table() {
            return table;
        }

        @Override
        public Map<String, Object> auth() {
            return auth;
        }

        @Override
        public List<String> keyColumns() {
            return schema.primaryKey();
        }

        @Override
        public List<String> fields() {
            return query.fields();
        }

        @Override
        public boolean matches(Map<String, ?> row) {
            return matcher.matches(row);
        }

        @Override
        public boolean permittedBy(RuleSet rules) {
            if (rules != judgedBy) {
                permitted = MaskedColumnUse.find(query, rules, table, auth) == null;
                judgedBy = rules;
            }
            return permitted;
        }
    }
}
