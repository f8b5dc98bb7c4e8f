package io.undercurrent.router.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.MalformedChangeException;
import io.undercurrent.change.Topics;
import io.undercurrent.change.Watermark;
import io.undercurrent.change.trace.ChangeStage;
import io.undercurrent.router.LookupSync;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one change record into delivery records, one per edge that holds an affected subscription.
 * A change costs one decode plus one evaluation per group of its table's subscriptions that judge it
 * alike ({@link JudgedAlike}); each subscription still gets its own target. Thread-confined.
 */
final class ChangeRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRouter.class);

    private final SubscriptionIndex index;
    private final Topics topics;
    private final ChangeEventCodec changeCodec = new ChangeEventCodec();
    private final BusCodec codec;
    private final DeltaComputer deltas = new DeltaComputer();
    private final LookupSync lookupSync;
    private long malformed;
    private long leftToEdges;

    ChangeRouter(SubscriptionIndex index, Topics topics, BusCodec codec) {
        this(index, topics, codec, LookupSync.NONE);
    }

    /** @param lookupSync says when lookups are newer than a change, whose rows are then left to the edge */
    ChangeRouter(SubscriptionIndex index, Topics topics, BusCodec codec, LookupSync lookupSync) {
        this.lookupSync = lookupSync;
        this.index = index;
        this.topics = topics;
        this.codec = codec;
    }

    /**
     * The change a record holds; null for a watermark (no change: nothing to judge or deliver), or when it
     * is unreadable (counted, logged and skipped).
     */
    ChangeEvent decode(ConsumerRecord<byte[], byte[]> record) {
        if (isWatermark(record)) {
            return null;
        }
        try {
            return changeCodec.decode(record.value());
        } catch (MalformedChangeException e) {
            malformed++;
            LOG.error(
                    "skipping unreadable change at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** Whether the record is one of ingest's watermarks, which carry no change (told by its header, undecoded). */
    static boolean isWatermark(ConsumerRecord<byte[], byte[]> record) {
        return record.headers().lastHeader(Watermark.HEADER) != null;
    }

    /** Appends the deliveries this change produces to {@code out}. */
    void route(
            ConsumerRecord<byte[], byte[]> record, RuleSet rules, long now, List<ProducerRecord<byte[], byte[]>> out) {
        ChangeEvent change = decode(record);
        if (change != null) {
            route(record, change, rules, now, out);
        }
    }

    /** Appends the deliveries {@code change}, decoded from {@code record}, produces to {@code out}. */
    void route(
            ConsumerRecord<byte[], byte[]> record,
            ChangeEvent change,
            RuleSet rules,
            long now,
            List<ProducerRecord<byte[], byte[]>> out) {
        ChangeStage.reached(ChangeStage.ROUTER_READ, change.txId(), change.commitTimeMs());
        int first = out.size();
        TableRef table = new TableRef(change.source(), change.table());
        Map<String, EdgeTargets> byEdge = new LinkedHashMap<>();
        List<LookupBinding> bindings = rules.lookupBindings(table);
        String rulesVersion = rules.version(table);
        for (JudgedAlike group : index.forTable(table, rules)) {
            // Every member would be judged alike (same query and schema, same claims as far as the rule
            // reads them): judge the change once.
            ActiveSubscription judged = group.judged();
            Delta delta = deltas.compute(change, judged, rules, now);
            if (delta == null) {
                continue;
            }
            if (delta.op() != DeltaOp.REMOVED
                    && !bindings.isEmpty()
                    && lookupSync.changedAfter(bindings, judged.auth(), change.sourceOrder())) {
                // Judged with lookups newer than the change: the edge re-reads these subscribers' rows
                // when that lookup row changes, and sends what the rules allow then.
                leftToEdges += group.size();
                continue;
            }
            String edgeId = null;
            EdgeTargets edge = null;
            for (ActiveSubscription sub : group.members()) {
                if (!sub.id().edgeId().equals(edgeId)) {
                    edgeId = sub.id().edgeId();
                    edge = byEdge.computeIfAbsent(edgeId, e -> new EdgeTargets());
                }
                edge.add(sub.id(), sub.generation(), rulesVersion, delta);
            }
        }
        byEdge.forEach((edgeId, edgeTargets) -> {
            List<Delivery.Target> targets = edgeTargets.targets();
            Delivery.Changes delivery = new Delivery.Changes(
                    change.source(),
                    record.partition(),
                    record.offset(),
                    change.txId(),
                    change.position(),
                    change.commitTimeMs(),
                    change.ingestTimeMs(),
                    targets,
                    change.sourceOrder());
            out.add(new ProducerRecord<>(topics.edge(edgeId), null, codec.encode(delivery)));
        });
        DeliveryStages.tag(out.subList(first, out.size()), change);
    }

    /** Rows not sent because the lookups were newer than their change (the edge's re-read sends them). */
    long leftToEdges() {
        return leftToEdges;
    }

    long malformed() {
        return malformed;
    }
}
