package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's hand-over of delivery batches: targets resolved by position while the table is
 * unchanged, changes grouped per subscription and run, one frame per subscription and batch.
 */
class DeliveryDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text")),
            List.of("id"));

    private final BusCodec codec = new BusCodec();
    private final SubscriptionTable table = new SubscriptionTable();
    private final AtomicLong generations = new AtomicLong();
    private final Map<String, List<JsonNode>> frames = new HashMap<>();
    private final Map<EdgeSubscription, String> labels = new HashMap<>();
    private final List<EdgeSubscription> snapshotsStarted = new ArrayList<>();
    private Consumer<EdgeSubscription> onSnapshot = snapshotsStarted::add;
    private final DeliveryDispatcher dispatcher = new DeliveryDispatcher(table, codec, s -> onSnapshot.accept(s));
    private long offset;

    private EdgeSubscription subscription(String connection, String query) {
        SubscriptionId id = new SubscriptionId("edge", connection, query);
        String label = connection + "/" + query + "#" + labels.size();
        EdgeSubscription sub = new EdgeSubscription(
                id,
                new LiveQuery("app", "public.todos", null, null, null, null),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                frame -> {
                    try {
                        frames.computeIfAbsent(label, k -> new ArrayList<>()).add(JSON.readTree(frame));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                },
                new ServerFrames(),
                100,
                Map.of("sub", connection),
                "v1",
                0,
                generations::incrementAndGet);
        assertThat(table.add(sub)).isTrue();
        labels.put(sub, label);
        return sub;
    }

    private EdgeSubscription live(String connection, String query) {
        EdgeSubscription sub = subscription(connection, query);
        assertThat(sub.onRegistered(ack(sub))).isTrue();
        sub.snapshotTaken(sub.generation(), List.of(), TestPoints.xids("10:10:"));
        return sub;
    }

    private static Delivery.Registered ack(EdgeSubscription sub) {
        return new Delivery.Registered(sub.id(), sub.generation(), "router", "v1", List.of(0), 1);
    }

    /** One change of row {@code id} for every subscription listed, the first carrying the delta, the rest sharing it. */
    private Delivery.Changes change(long tx, DeltaOp op, long id, Object... subs) {
        Delta delta = new Delta(
                op, Map.of("id", id), op == DeltaOp.REMOVED ? null : Map.of("id", id, "title", "t" + tx), null);
        List<Delivery.Target> targets = new ArrayList<>();
        for (Object s : subs) {
            SubscriptionId target = s instanceof EdgeSubscription sub ? sub.id() : (SubscriptionId) s;
            long generation = s instanceof EdgeSubscription sub ? sub.generation() : 1;
            targets.add(
                    targets.isEmpty()
                            ? new Delivery.Target(target, generation, "v1", List.of(delta))
                            : new Delivery.Target(target, generation, "v1", List.of(), 0));
        }
        return new Delivery.Changes("app", 0, ++offset, Long.toString(tx), "lsn:" + offset, 1000 + tx, 0, targets);
    }

    private void dispatch(Delivery... deliveries) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Delivery d : deliveries) {
            records.add(new ConsumerRecord<>("t.edge.edge", 0, records.size(), null, codec.encode(d)));
        }
        dispatcher.accept(records);
    }

    /** Per frame of the subscription: its type, or for changes each change as op:id. */
    private List<String> framesOf(EdgeSubscription sub) {
        List<String> out = new ArrayList<>();
        for (JsonNode frame : frames.getOrDefault(labels.get(sub), List.of())) {
            if (frame.path("type").asText().equals("changes")) {
                List<String> changes = new ArrayList<>();
                frame.path("changes")
                        .forEach(c -> changes.add(c.path("op").asText() + ":"
                                + c.path("key").path("id").asLong()));
                out.add(String.join(",", changes));
            } else {
                out.add(frame.path("type").asText());
            }
        }
        return out;
    }

    @Test
    void eachSubscriptionGetsItsChangesOfABatchInOrderInOneFrame() {
        EdgeSubscription a = live("c1", "q1");
        EdgeSubscription b = live("c2", "q1");

        dispatch(
                change(20, DeltaOp.ADDED, 1, a, b),
                change(21, DeltaOp.ADDED, 2, b, a),
                change(22, DeltaOp.CHANGED, 1, a),
                change(23, DeltaOp.REMOVED, 2, a, b));

        assertThat(framesOf(a)).containsExactly("snapshot", "added:1,added:2,changed:1,removed:2");
        assertThat(framesOf(b)).containsExactly("snapshot", "added:1,added:2,removed:2");
        assertThat(a.heldRows()).as("the removed row is no longer held").isEqualTo(1);
        assertThat(b.heldRows()).isEqualTo(1);
    }

    @Test
    void aTargetUnknownToThisEdgeIsSkippedAndTheOthersStillGetTheirs() {
        EdgeSubscription a = live("c1", "q1");
        SubscriptionId stranger = new SubscriptionId("edge", "gone", "q1");
        SubscriptionId otherEdge = new SubscriptionId("other-edge", "c1", "q1");

        dispatch(change(20, DeltaOp.ADDED, 1, stranger, a, otherEdge));
        dispatch(change(21, DeltaOp.ADDED, 2, stranger, a, otherEdge));

        assertThat(framesOf(a)).containsExactly("snapshot", "added:1", "added:2");
    }

    @Test
    void aSubscriptionReplacedUnderItsIdGetsTheDeltasMeantForItNotTheOldOne() {
        EdgeSubscription old = live("c1", "q1");
        EdgeSubscription other = live("c2", "q1");
        dispatch(change(20, DeltaOp.ADDED, 1, old, other)); // positions remembered

        table.remove(old);
        old.close();
        EdgeSubscription fresh = live("c1", "q1");
        dispatch(change(21, DeltaOp.ADDED, 2, fresh, other));

        assertThat(framesOf(old)).containsExactly("snapshot", "added:1");
        assertThat(framesOf(fresh)).containsExactly("snapshot", "added:2");
        assertThat(fresh.heldRows()).isEqualTo(1);
        assertThat(framesOf(other)).containsExactly("snapshot", "added:1", "added:2");
    }

    @Test
    void aSubscriptionRemovedMidBatchGetsNothingMoreAndTheRestOfTheBatchFlows() {
        EdgeSubscription a = live("c1", "q1");
        EdgeSubscription b = live("c2", "q1");
        EdgeSubscription pending = subscription("c3", "q1");
        onSnapshot = started -> {
            // runs on the delivery thread in the middle of the batch, as a connection closing would
            table.remove(b);
            b.close();
        };

        dispatch(change(20, DeltaOp.ADDED, 1, a, b), ack(pending), change(21, DeltaOp.ADDED, 2, a, b));
        dispatch(change(22, DeltaOp.ADDED, 3, a, b));

        assertThat(framesOf(a)).containsExactly("snapshot", "added:1,added:2", "added:3");
        assertThat(framesOf(b)).as("closed before the batch's frame went out").containsExactly("snapshot");
        assertThat(pending.state()).isEqualTo(EdgeSubscription.State.SNAPSHOTTING);
    }

    @Test
    void changesBeforeAndAfterAnAcknowledgementInOneBatchAreAllStitchedToTheSnapshotInOrder() {
        EdgeSubscription sub = subscription("c1", "q1");
        List<EdgeSubscription> started = new ArrayList<>();
        onSnapshot = started::add;

        dispatch(
                change(20, DeltaOp.ADDED, 1, sub),
                ack(sub),
                change(21, DeltaOp.ADDED, 2, sub),
                change(22, DeltaOp.CHANGED, 1, sub));
        assertThat(started).containsExactly(sub);
        assertThat(framesOf(sub)).as("buffered until the snapshot").isEmpty();

        sub.snapshotTaken(sub.generation(), List.of(), TestPoints.xids("10:10:"));

        assertThat(framesOf(sub)).containsExactly("snapshot", "added:1,added:2,changed:1");
    }

    @Test
    void subscriptionsSharingADeltaGetTheSameChangeObjectsAndOneKeyPerRow() {
        EdgeSubscription a = live("c1", "q1");
        EdgeSubscription b = live("c2", "q1");
        EdgeSubscription c = live("c3", "q1");

        dispatch(change(20, DeltaOp.ADDED, 1, a, b, c), change(21, DeltaOp.CHANGED, 1, a, b, c));

        for (EdgeSubscription sub : List.of(a, b, c)) {
            assertThat(framesOf(sub)).containsExactly("snapshot", "added:1,changed:1");
            assertThat(sub.heldRows()).isEqualTo(1);
        }
    }
}
