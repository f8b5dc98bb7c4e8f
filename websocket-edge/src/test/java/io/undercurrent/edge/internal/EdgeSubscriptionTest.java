package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.change.SourceOrder;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stitching of one live query's snapshot to the change stream, stepped by hand. */
class EdgeSubscriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SubscriptionId ID = new SubscriptionId("edge", "conn", "q1");
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text")),
            List.of("id"));

    private final List<JsonNode> sent = new ArrayList<>();
    private final EdgeSubscription sub = new EdgeSubscription(
            ID,
            new LiveQuery("app", "public.todos", null, null, null, null),
            SCHEMA,
            new TableRef("app", "public.todos"),
            JSON.createObjectNode(),
            this::record,
            new ServerFrames(),
            3,
            Map.of("sub", "alice"),
            "v1",
            0);
    private long offset;

    private boolean record(String frame) {
        try {
            sent.add(JSON.readTree(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private static Delivery.Registered ack(long generation, String version, List<Integer> partitions, int count) {
        return new Delivery.Registered(ID, generation, "router", version, partitions, count);
    }

    private void deliver(long tx, DeltaOp op, long id, String title) {
        deliver(tx, op, id, title, 1, "v1", 0);
    }

    private void deliver(long tx, DeltaOp op, long id, String title, long generation, String version, int partition) {
        Delta delta =
                new Delta(op, Map.of("id", id), op == DeltaOp.REMOVED ? null : Map.of("id", id, "title", title), null);
        Delivery.Changes changes = new Delivery.Changes(
                "app",
                partition,
                ++offset,
                Long.toString(tx),
                "lsn:" + offset,
                1000 + tx,
                0,
                List.of(new Delivery.Target(ID, generation, version, List.of(delta))));
        sub.onChanges(changes, changes.targets().get(0));
    }

    private void deliverTo(EdgeSubscription target, long tx, DeltaOp op, long id) {
        Delta delta =
                new Delta(op, Map.of("id", id), op == DeltaOp.REMOVED ? null : Map.of("id", id, "title", "t"), null);
        Delivery.Changes changes = new Delivery.Changes(
                "app",
                0,
                ++offset,
                Long.toString(tx),
                "lsn:" + offset,
                1000 + tx,
                0,
                List.of(new Delivery.Target(target.id(), target.generation(), "v1", List.of(delta))));
        target.onChanges(changes, changes.targets().get(0));
    }

    private static Map<String, Object> row(long id, String title) {
        return Map.of("id", id, "title", title);
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

    @Test
    void snapshotWaitsForEveryPartitionAndMatchingRulesVersion() {
        assertThat(sub.onRegistered(ack(1, "v1", List.of(0), 2))).isFalse();
        assertThat(sub.onRegistered(ack(1, "v0", List.of(1), 2)))
                .as("acknowledged under other rules")
                .isFalse();
        assertThat(sub.onRegistered(ack(0, "v1", List.of(1), 2)))
                .as("an older generation")
                .isFalse();
        assertThat(sub.onRegistered(ack(1, "v1", List.of(1), 2))).isTrue();
        assertThat(sub.state()).isEqualTo(EdgeSubscription.State.SNAPSHOTTING);
    }

    @Test
    void changesTheSnapshotSawAreDroppedOthersAreReplayedInOrderAfterIt() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        deliver(100, DeltaOp.ADDED, 1, "seen by the snapshot"); // committed before the snapshot
        deliver(105, DeltaOp.ADDED, 2, "after the snapshot");
        deliver(102, DeltaOp.CHANGED, 3, "in progress at the snapshot");
        assertThat(sent).isEmpty();

        sub.snapshotTaken(1, List.of(row(1, "seen by the snapshot"), row(3, "old")), TestPoints.xids("102:105:102"));

        assertThat(ops()).containsExactly("snapshot", "added:2", "changed:3");
        assertThat(sent.get(0).path("keyColumns").get(0).asText()).isEqualTo("id");
        assertThat(sub.state()).isEqualTo(EdgeSubscription.State.LIVE);
    }

    @Test
    void opsAreCorrectedAgainstTheKeysTheClientHolds() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:"));
        deliver(20, DeltaOp.REMOVED, 9, null); // never held: the client must not even learn the key
        deliver(21, DeltaOp.CHANGED, 2, "b"); // not held: this is an addition for the client
        deliver(22, DeltaOp.ADDED, 1, "a2"); // held: a change
        deliver(23, DeltaOp.REMOVED, 1, null);
        sub.flush();
        assertThat(ops()).containsExactly("snapshot", "added:2", "changed:1", "removed:1");
    }

    @Test
    void replayedOffsetsAndStaleGenerationsOrRulesAreDropped() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        deliver(20, DeltaOp.ADDED, 1, "a");
        offset--; // a router replays the same change after a crash
        deliver(20, DeltaOp.ADDED, 1, "a");
        deliver(21, DeltaOp.ADDED, 2, "judged by old rules", 1, "v0", 0);
        deliver(22, DeltaOp.ADDED, 3, "older generation", 0, "v1", 0);
        sub.flush();
        assertThat(ops()).containsExactly("snapshot", "added:1");
    }

    /** A change as ingest published it: same source order whenever it is published again, at a new offset. */
    private void deliverFromSource(long tx, long id, long version, int partition, String order) {
        Delta delta = new Delta(DeltaOp.CHANGED, Map.of("id", id), Map.of("id", id, "title", "v" + version), null);
        Delivery.Changes changes = new Delivery.Changes(
                "app",
                partition,
                ++offset,
                Long.toString(tx),
                "lsn:" + version,
                0,
                0,
                List.of(new Delivery.Target(ID, 1, "v1", List.of(delta))),
                order);
        sub.onChanges(changes, changes.targets().get(0));
    }

    private List<String> titles() {
        List<String> out = new ArrayList<>();
        for (JsonNode frame : sent) {
            frame.path("changes")
                    .forEach(c -> out.add(c.path("key").path("id").asLong() + ":"
                            + c.path("row").path("title").asText()));
        }
        return out;
    }

    @Test
    void changesIngestPublishedAgainAfterACrashAreDroppedSoNoRowGoesBack() {
        sub.onRegistered(ack(1, "v1", List.of(0, 1), 2));
        sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        deliverFromSource(20, 1, 1, 0, SourceOrder.postgres(100, 500));
        deliverFromSource(21, 1, 2, 0, SourceOrder.postgres(600, 700));
        deliverFromSource(21, 2, 1, 1, SourceOrder.postgres(600, 710)); // another partition keeps its own mark
        // ingest restarts from its last committed position: both changes again, at new offsets
        deliverFromSource(20, 1, 1, 0, SourceOrder.postgres(100, 500));
        deliverFromSource(21, 1, 2, 0, SourceOrder.postgres(600, 700));
        deliverFromSource(21, 2, 1, 1, SourceOrder.postgres(600, 710));
        deliverFromSource(22, 1, 3, 0, SourceOrder.postgres(800, 650)); // new, though its own LSN is lower
        deliverFromSource(23, 2, 2, 1, null); // no order known: never dropped
        sub.flush();

        assertThat(titles()).containsExactly("1:v1", "1:v2", "2:v1", "1:v3", "2:v2");
    }

    @Test
    void aReplayOfAChangeTheNextSnapshotContainsIsDroppedAndLaterChangesFlow() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        deliverFromSource(20, 1, 1, 0, SourceOrder.postgres(100, 500));
        sub.restart("rules changed", Map.of("sub", "alice"), "v1", 5);
        sent.clear();
        sub.onRegistered(ack(2, "v1", List.of(0), 1));
        // while the new snapshot (xmin 30, so it contains tx 20) is read, ingest replays tx 20
        Delta replay = new Delta(DeltaOp.CHANGED, Map.of("id", 1L), Map.of("id", 1L, "title", "v1"), null);
        Delivery.Changes again = new Delivery.Changes(
                "app",
                0,
                ++offset,
                "20",
                "lsn:1",
                0,
                0,
                List.of(new Delivery.Target(ID, 2, "v1", List.of(replay))),
                SourceOrder.postgres(100, 500));
        sub.onChanges(again, again.targets().get(0));
        sub.snapshotTaken(2, List.of(row(1, "v1")), TestPoints.xids("30:30:"));
        Delta later = new Delta(DeltaOp.CHANGED, Map.of("id", 1L), Map.of("id", 1L, "title", "v2"), null);
        Delivery.Changes next = new Delivery.Changes(
                "app",
                0,
                ++offset,
                "31",
                "lsn:2",
                0,
                0,
                List.of(new Delivery.Target(ID, 2, "v1", List.of(later))),
                SourceOrder.postgres(900, 950));
        sub.onChanges(next, next.targets().get(0));
        sub.flush();

        assertThat(titles()).containsExactly("1:v2");
    }

    @Test
    void consecutiveChangesOfOneTransactionGoOutInOneFrame() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        deliver(20, DeltaOp.ADDED, 1, "a");
        deliver(20, DeltaOp.ADDED, 2, "b");
        sub.flush(); // the end of a delivery batch
        deliver(21, DeltaOp.ADDED, 3, "c");
        sub.flush();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).path("changes")).hasSize(2);
        assertThat(sent.get(1).path("committedAt").asLong()).isEqualTo(1020);
        assertThat(sent.get(2).path("changes")).hasSize(1);
        assertThat(sent.get(2).path("committedAt").asLong()).isEqualTo(1021);
    }

    @Test
    void transactionsThatArriveInOneBatchGoOutInOneFrameWithThePositionAfterTheLast() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        deliver(20, DeltaOp.ADDED, 1, "a");
        deliver(21, DeltaOp.ADDED, 2, "b");
        deliver(21, DeltaOp.CHANGED, 1, "a2");
        deliver(22, DeltaOp.REMOVED, 9, null); // never held: nothing to send
        sub.flush();
        deliver(23, DeltaOp.ADDED, 3, "c");
        sub.flush();

        assertThat(ops()).containsExactly("snapshot", "added:1", "added:2", "changed:1", "added:3");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).path("committedAt").asLong()).isEqualTo(1021);
        List<List<Object>> commits = new ArrayList<>();
        EdgeSubscription traced = new EdgeSubscription(
                ID,
                sub.query(),
                sub.schema(),
                sub.table(),
                JSON.createObjectNode(),
                new FrameSink() {
                    @Override
                    public boolean send(String frame) {
                        return true;
                    }

                    @Override
                    public boolean send(String frame, List<FrameSink.Commit> of) {
                        commits.add(new ArrayList<>(of));
                        return true;
                    }
                },
                new ServerFrames(),
                3,
                Map.of("sub", "alice"),
                "v1",
                0);
        traced.onRegistered(ack(traced.generation(), "v1", List.of(0), 1));
        traced.snapshotTaken(traced.generation(), List.of(), TestPoints.xids("10:10:"));
        deliverTo(traced, 20, DeltaOp.ADDED, 1);
        deliverTo(traced, 21, DeltaOp.ADDED, 2);
        deliverTo(traced, 21, DeltaOp.ADDED, 3);
        deliverTo(traced, 22, DeltaOp.REMOVED, 9);
        traced.flush();
        // every transaction with a change in the frame is stamped as written, once, in order
        assertThat(commits)
                .containsExactly(List.of(new FrameSink.Commit("20", 1020), new FrameSink.Commit("21", 1021)));
    }

    @Test
    void restartSendsResetAndStartsOverUnderANewGeneration() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:"));
        var record = sub.restart("rules changed", Map.of("sub", "alice"), "v2", 5);
        assertThat(record.generation()).isEqualTo(2);
        assertThat(ops()).containsExactly("snapshot", "reset");
        deliver(30, DeltaOp.ADDED, 5, "old generation, old rules");
        assertThat(sub.onRegistered(ack(2, "v2", List.of(0), 1))).isTrue();
        sub.snapshotTaken(2, List.of(row(1, "a"), row(2, "b")), TestPoints.xids("40:40:"));
        assertThat(ops()).containsExactly("snapshot", "reset", "snapshot");
    }

    @Test
    void aWindowedQueryTurnsDeltasIntoFreshReadsAndSendsTheDifference() {
        List<String> reads = new ArrayList<>();
        EdgeSubscription window = new EdgeSubscription(
                ID,
                new LiveQuery("app", "public.todos", null, null, null, 2),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                this::record,
                new ServerFrames(),
                100,
                Map.of(),
                "v1",
                0);
        window.onReadNeeded(() -> reads.add("read"));
        window.onRegistered(ack(1, "v1", List.of(0), 1));
        window.snapshotTaken(1, List.of(row(1, "a"), row(2, "b")), TestPoints.xids("10:10:"));
        Delta delta = new Delta(DeltaOp.ADDED, Map.of("id", 3L), Map.of("id", 3L, "title", "c"), null);
        for (int tx = 20; tx < 23; tx++) {
            Delivery.Changes changes = new Delivery.Changes(
                    "app",
                    0,
                    ++offset,
                    Integer.toString(tx),
                    "p",
                    0,
                    0,
                    List.of(new Delivery.Target(ID, 1, "v1", List.of(delta))));
            window.onChanges(changes, changes.targets().get(0));
        }
        assertThat(reads).as("one read in flight for a burst").hasSize(1);
        assertThat(ops()).containsExactly("snapshot");

        long generation = window.readStarting();
        boolean again = window.windowRead(generation, List.of(row(3, "c"), row(1, "a2")), TestPoints.xids("23:23:"));

        assertThat(again).isFalse();
        assertThat(ops()).containsExactly("snapshot", "removed:2", "added:3", "changed:1");
    }

    @Test
    void aChangeDuringAWindowReadAsksForAnotherRead() {
        EdgeSubscription window = new EdgeSubscription(
                ID,
                new LiveQuery("app", "public.todos", null, null, null, 2),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                this::record,
                new ServerFrames(),
                100,
                Map.of(),
                "v1",
                0);
        window.onRegistered(ack(1, "v1", List.of(0), 1));
        window.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:"));
        long generation = window.readStarting();
        Delivery.Changes late = new Delivery.Changes(
                "app",
                0,
                ++offset,
                "30",
                "p",
                0,
                0,
                List.of(new Delivery.Target(
                        ID,
                        1,
                        "v1",
                        List.of(new Delta(DeltaOp.ADDED, Map.of("id", 4L), Map.of("id", 4L, "title", "d"), null)))));
        window.onChanges(late, late.targets().get(0));
        assertThat(window.windowRead(generation, List.of(row(1, "a")), TestPoints.xids("25:25:")))
                .isTrue();
    }

    @Test
    void aLookupChangeReadsTheRowsAgainAndSendsTheDifferenceThenWhatArrivedMeanwhile() {
        List<String> reads = new ArrayList<>();
        sub.onRejudgeNeeded(() -> reads.add("read"));
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(row(1, "a"), row(2, "b")), TestPoints.xids("10:10:"));

        sub.lookupsChanged();
        sub.lookupsChanged();
        assertThat(reads).as("one re-read in flight for a burst").hasSize(1);
        deliver(20, DeltaOp.ADDED, 5, "seen by the re-read"); // wait for the re-read's rows
        deliver(30, DeltaOp.ADDED, 6, "after the re-read");
        assertThat(ops()).containsExactly("snapshot");

        // membership changed: row 1 is no longer readable, rows 3 and 5 now are
        EdgeSubscription.Rejudged outcome = sub.rejudged(
                1, List.of(row(2, "b"), row(3, "c"), row(5, "seen by the re-read")), TestPoints.xids("25:25:"));

        assertThat(ops()).containsExactly("snapshot", "removed:1", "added:3", "added:5", "added:6");
        assertThat(outcome).as("the second change arrived during the read").isEqualTo(EdgeSubscription.Rejudged.AGAIN);
        assertThat(sub.rejudged(
                        1,
                        List.of(row(2, "b"), row(3, "c"), row(5, "x"), row(6, "after the re-read")),
                        TestPoints.xids("31:31:")))
                .isEqualTo(EdgeSubscription.Rejudged.DONE);
        assertThat(ops()).endsWith("changed:5");
    }

    @Test
    void aLookupChangeBeforeTheFirstResultIsJudgedRightAfterIt() {
        List<String> reads = new ArrayList<>();
        sub.onRejudgeNeeded(() -> reads.add("read"));
        sub.lookupsChanged();
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        assertThat(reads).isEmpty();
        sub.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:"));
        assertThat(reads)
                .as("the snapshot may have been judged with the lookups before the change")
                .hasSize(1);
    }

    @Test
    void tooManyChangesDuringALookupReReadStartOver() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        sub.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:"));
        sub.lookupsChanged();
        for (int i = 0; i < 4; i++) { // the buffer holds 3
            deliver(20 + i, DeltaOp.ADDED, 10 + i, "x");
        }
        assertThat(sub.rejudged(1, List.of(row(1, "a")), TestPoints.xids("30:30:")))
                .isEqualTo(EdgeSubscription.Rejudged.RESTART);
        assertThat(ops()).containsExactly("snapshot");
    }

    @Test
    void aClosedSubscriptionSendsNothingWhateverArrivesInWhateverStateItWasClosed() {
        assertThat(sub.close()).isTrue();
        assertThat(sub.close()).as("ends once").isFalse();
        assertThat(sub.onRegistered(ack(1, "v1", List.of(0), 1))).isFalse();
        deliver(20, DeltaOp.ADDED, 1, "a");
        assertThat(sub.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:")))
                .isTrue();
        assertThat(sub.restart("rules changed", Map.of(), "v2", 5)).isNull();

        EdgeSubscription snapshotting = new EdgeSubscription(
                ID,
                new LiveQuery("app", "public.todos", null, null, null, null),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                this::record,
                new ServerFrames(),
                3,
                Map.of(),
                "v1",
                0);
        snapshotting.onRegistered(ack(1, "v1", List.of(0), 1));
        snapshotting.close();
        assertThat(snapshotting.snapshotTaken(1, List.of(row(1, "a")), TestPoints.xids("10:10:")))
                .isTrue();

        EdgeSubscription window = new EdgeSubscription(
                ID,
                new LiveQuery("app", "public.todos", null, null, null, 2),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                this::record,
                new ServerFrames(),
                3,
                Map.of(),
                "v1",
                0);
        window.onRegistered(ack(1, "v1", List.of(0), 1));
        window.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"));
        sent.clear();
        long generation = window.readStarting();
        window.close();
        assertThat(window.windowRead(generation, List.of(row(1, "a")), TestPoints.xids("20:20:")))
                .isFalse();
        window.flush();

        assertThat(sent).isEmpty();
    }

    @Test
    void tooManyChangesDuringTheSnapshotMakeTheCallerStartOver() {
        sub.onRegistered(ack(1, "v1", List.of(0), 1));
        for (int i = 0; i < 5; i++) {
            deliver(20 + i, DeltaOp.ADDED, i, "x");
        }
        assertThat(sub.snapshotTaken(1, List.of(), TestPoints.xids("10:10:"))).isFalse();
        assertThat(sent).isEmpty();
    }
}
