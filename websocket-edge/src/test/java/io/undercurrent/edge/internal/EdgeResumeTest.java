package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A live query resumed from a position instead of a snapshot, stepped by hand. */
class EdgeResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableRef TODOS = new TableRef("app", "public.todos");
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text")),
            List.of("id"));
    private static final Map<String, Object> ALICE = Map.of("sub", "alice");

    private final PositionCodec codec = new PositionCodec("secret", "undercurrent");
    private final List<JsonNode> sent = new ArrayList<>();
    private final AtomicInteger restartsAsked = new AtomicInteger();

    private EdgeSubscription subscription(String queryId, Integer limit) {
        EdgeSubscription sub = new EdgeSubscription(
                new SubscriptionId("edge", "conn-" + queryId, queryId),
                new LiveQuery("app", "public.todos", null, null, null, limit),
                SCHEMA,
                TODOS,
                JSON.createObjectNode(),
                this::record,
                new ServerFrames(),
                100,
                ALICE,
                "v1",
                0);
        sub.positions(codec.bind(codec.query(TODOS, JSON.createObjectNode())));
        sub.onRestartNeeded(restartsAsked::incrementAndGet);
        return sub;
    }

    private boolean record(String frame) {
        try {
            sent.add(JSON.readTree(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private static Delivery.Registered ack(EdgeSubscription sub, long from) {
        return new Delivery.Registered(sub.id(), sub.generation(), "router", "v1", List.of(0), 1, Map.of(0, from));
    }

    private static Delivery.Changes change(
            EdgeSubscription sub, long offset, long tx, DeltaOp op, long id, boolean guessed) {
        Delta delta = new Delta(
                op,
                Map.of("id", id),
                op == DeltaOp.REMOVED ? null : Map.of("id", id, "title", "t" + offset),
                null,
                guessed);
        return new Delivery.Changes(
                "app",
                0,
                offset,
                Long.toString(tx),
                null,
                1000 + tx,
                0,
                List.of(new Delivery.Target(sub.id(), sub.generation(), "v1", List.of(delta))),
                String.format("pg:%016x:%016x", offset, offset));
    }

    private static void deliver(EdgeSubscription sub, Delivery.Changes changes) {
        sub.onChanges(changes, changes.targets().get(0));
    }

    private List<String> ops() {
        List<String> out = new ArrayList<>();
        for (JsonNode frame : sent) {
            if (frame.path("type").asText().equals("changes")) {
                frame.path("changes")
                        .forEach(c -> out.add(c.path("op").asText() + ":"
                                + c.path("key").path("id").asLong()));
            } else {
                out.add(frame.path("type").asText());
            }
        }
        return out;
    }

    private String lastPosition() {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).has("position")) {
                return sent.get(i).path("position").asText();
            }
        }
        throw new AssertionError("no frame with a position in " + sent);
    }

    @Test
    void aResumeSendsExactlyWhatWasMissedThenGoesLiveWithoutAGapOrDuplicateAtTheSwitch() {
        EdgeSubscription before = subscription("q1", null);
        before.onRegistered(ack(before, 10));
        before.snapshotTaken(before.generation(), List.of(Map.of("id", 1L, "title", "a")), TestPoints.xids("100:100:"));
        deliver(before, change(before, 11, 101, DeltaOp.ADDED, 2, false));
        before.flush();
        String position = lastPosition();
        assertThat(ops()).containsExactly("snapshot", "added:2");
        sent.clear();

        // Gone. Meanwhile offsets 12 to 15 were written; a new edge's routers start at 14.
        EdgeSubscription after = subscription("q1", null);
        after.resumeFrom(codec.decode(position));
        assertThat(after.onRegistered(ack(after, 14))).isTrue();
        deliver(after, change(after, 13, 103, DeltaOp.ADDED, 3, false)); // a router's rewind: also replayed
        deliver(after, change(after, 14, 104, DeltaOp.REMOVED, 1, false));
        deliver(after, change(after, 15, 105, DeltaOp.CHANGED, 3, false));
        EdgeSubscription.ResumePlan plan = after.resumePlan();
        assertThat(plan.sameIdentity()).isTrue();
        assertThat(plan.sameRules()).isTrue();
        assertThat(plan.position().next()).containsExactly(12);

        Map<Integer, List<Delivery.Changes>> replayed = Map.of(
                0,
                List.of(
                        change(after, 12, 102, DeltaOp.CHANGED, 2, false),
                        change(after, 13, 103, DeltaOp.ADDED, 3, false)));
        assertThat(after.resumeTaken(plan.generation(), replayed, TestPoints.xids("100:100:")))
                .isTrue();
        deliver(after, change(after, 15, 105, DeltaOp.CHANGED, 3, false)); // a duplicate once live
        deliver(after, change(after, 16, 106, DeltaOp.CHANGED, 2, false));
        after.flush();

        assertThat(ops()).containsExactly("resumed", "changed:2", "added:3", "removed:1", "changed:3", "changed:2");
        assertThat(codec.decode(lastPosition()).next()).containsExactly(17);
    }

    @Test
    void aGuessedDeltaForARowTheResumedClientMayHoldStartsTheQueryOver() {
        EdgeSubscription before = subscription("q1", null);
        before.onRegistered(ack(before, 0));
        before.snapshotTaken(before.generation(), List.of(), TestPoints.xids("1:1:"));
        deliver(before, change(before, 0, 5, DeltaOp.ADDED, 7, false));
        before.flush();
        String position = lastPosition();
        sent.clear();

        EdgeSubscription after = subscription("q1", null);
        after.resumeFrom(codec.decode(position));
        after.onRegistered(ack(after, 1));
        after.resumeTaken(after.generation(), Map.of(0, List.of()), TestPoints.xids("1:1:"));
        deliver(after, change(after, 1, 6, DeltaOp.ADDED, 8, false));
        deliver(after, change(after, 2, 7, DeltaOp.CHANGED, 8, true)); // learned since the resume: held
        after.flush();
        assertThat(restartsAsked).hasValue(0);
        deliver(after, change(after, 3, 8, DeltaOp.REMOVED, 7, true)); // held before the resume, or never?
        after.flush();

        assertThat(restartsAsked).hasValue(1);
        assertThat(ops()).containsExactly("resumed", "added:8", "changed:8");
    }

    /**
     * Once a resumed query was answered, a restart (rules or identity changed, a delta that cannot be
     * told apart) sends {@code reset}: the client drops its rows, so the next generation must read a
     * snapshot. Resuming again from the old position would send {@code resumed} to a client holding
     * nothing (a gap), or a second {@code reset}.
     */
    @Test
    void aResumedQueryThatStartsOverReadsASnapshotNotTheOldPositionAgain() {
        EdgeSubscription before = subscription("q1", null);
        before.onRegistered(ack(before, 0));
        before.snapshotTaken(before.generation(), List.of(Map.of("id", 1L, "title", "a")), TestPoints.xids("1:1:"));
        String position = lastPosition();
        sent.clear();

        EdgeSubscription after = subscription("q1", null);
        after.resumeFrom(codec.decode(position));
        after.onRegistered(ack(after, 0));
        after.resumeTaken(after.generation(), Map.of(0, List.of()), TestPoints.xids("1:1:"));
        after.restart("rules changed", ALICE, "v1", 0);

        assertThat(after.resuming()).isNull();
        assertThat(after.onRegistered(ack(after, 0))).isTrue();
        assertThat(after.resumePlan())
                .as("the client dropped its rows at the reset")
                .isNull();
        after.snapshotTaken(after.generation(), List.of(Map.of("id", 1L, "title", "a")), TestPoints.xids("1:1:"));
        assertThat(ops()).containsExactly("resumed", "reset", "snapshot");
    }

    /** A restart before the client was answered keeps the position: the client still holds its rows. */
    @Test
    void aResumeRestartedBeforeItWasAnsweredStillResumes() {
        EdgeSubscription before = subscription("q1", null);
        before.onRegistered(ack(before, 0));
        before.snapshotTaken(before.generation(), List.of(), TestPoints.xids("1:1:"));
        String position = lastPosition();
        sent.clear();

        EdgeSubscription after = subscription("q1", null);
        after.resumeFrom(codec.decode(position));
        after.restart("registration retried", ALICE, "v1", 0);
        assertThat(after.onRegistered(ack(after, 0))).isTrue();

        assertThat(after.resumePlan()).isNotNull();
        assertThat(sent).isEmpty();
    }

    @Test
    void aWindowsPositionResumesNothing() {
        EdgeSubscription window = subscription("q1", 5);
        window.onRegistered(ack(window, 0));
        window.snapshotTaken(window.generation(), List.of(), TestPoints.xids("1:1:"));
        assertThat(codec.decode(lastPosition()).resumable()).isFalse();

        EdgeSubscription plain = subscription("q2", null);
        plain.onRegistered(ack(plain, 0));
        plain.snapshotTaken(plain.generation(), List.of(), TestPoints.xids("1:1:"));
        assertThat(codec.decode(lastPosition()).resumable()).isTrue();
    }

    @Test
    void routersThatDoNotSayWhereTheyReadGivePositionsThatResumeNothing() {
        EdgeSubscription sub = subscription("q1", null);
        sub.onRegistered(new Delivery.Registered(sub.id(), sub.generation(), "old-router", "v1", List.of(0), 1));
        sub.snapshotTaken(sub.generation(), List.of(), TestPoints.xids("1:1:"));
        assertThat(codec.decode(lastPosition()).resumable()).isFalse();
    }
}
