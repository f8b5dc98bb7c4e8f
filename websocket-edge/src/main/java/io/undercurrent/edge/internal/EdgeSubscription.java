package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.SourceOrder;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadPoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One live query of one client, and the stitching of its snapshot to the change stream.
 *
 * <ol>
 *   <li>REGISTERING: the subscription is published; deltas that arrive are buffered. Routers
 *       acknowledge it; once their acknowledgements cover every change partition (with the rules
 *       version this edge uses), no later change can pass unmatched.</li>
 *   <li>SNAPSHOTTING: the initial result is read in a REPEATABLE READ transaction together with
 *       {@code pg_current_snapshot()}; deltas are still buffered.</li>
 *   <li>LIVE: the snapshot is sent, then every buffered and later delta whose transaction the
 *       snapshot did not see, once, in order.</li>
 * </ol>
 * "Once": a change can arrive twice. A router that crashed reads its changes again (same change
 * partition and offset); ingest that crashed publishes changes since its last committed source
 * position again (same change, new offset). Per change partition the subscription keeps the highest
 * offset and the highest {@link SourceOrder} it took, and drops a delta at or below either: ingest
 * writes a partition in source order, so only a replay can be at or below. Both marks start afresh
 * with each snapshot; a replay of a change the snapshot contains is dropped by its visibility.
 *
 * <p>A {@link #restart} (rules changed, token changed) sends {@code reset} and begins again under a new
 * generation; deliveries for older generations or other rules versions are dropped. Generations are
 * drawn from one counter per edge, so a query id reused after an unsubscribe never accepts an
 * acknowledgement or a delta meant for the subscription it replaced.
 *
 * <p>{@link #close} ends the subscription in any state: nothing for it is sent to the client
 * afterwards, whatever acknowledgement, delta, snapshot or window read arrives later.
 *
 * <p>A query with {@code limit} is a window: a delta can push a row in or out of it in ways only the
 * database can tell (which row is next). For such a query a delta the snapshot did not see only
 * marks it dirty; the edge reads the window again (one read in flight, debounced) and sends the
 * difference between what the client holds and the fresh result, stitched by the fresh read's
 * visibility like the first snapshot.
 *
 * <p>Thread-safe: every method takes the monitor; the delivery thread, the snapshot workers and the
 * connection's receive path all call in. Frames are queued while the monitor is held and written to the
 * connection once it is released ({@link OrderedSends}), in the order they were queued: no thread
 * writes to a socket while it holds a subscription's monitor.
 */
final class EdgeSubscription {

    enum State {
        REGISTERING,
        SNAPSHOTTING,
        LIVE,
        CLOSED
    }

    private record Buffered(Delivery.Changes meta, Delivery.Target target) {}

    private final SubscriptionId id;
    private final LiveQuery query;
    private final TableSchema schema;
    private final TableRef table;
    private final JsonNode frame;
    private final OrderedSends sends;
    private final ServerFrames frames;
    private final int maxBuffered;
    private final Coverage coverage = new Coverage();
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    private final HeldKeys held;
    private final boolean windowed;
    private final LongSupplier generations;
    private final Object busLock = new Object();
    private Runnable requestRead = () -> {};
    private boolean readPending;
    private boolean dirty;
    private final PartitionMarks marks = new PartitionMarks();
    /** Per change partition, the first offset routers deliver from for this generation (the lowest any said). */
    private final Map<Integer, Long> from = new HashMap<>();

    private int partitionCount;
    private Positions positions = Positions.NONE;
    /**
     * The digests of {@link #auth} and {@link #rulesVersion} every position carries, kept while they do
     * not change: digesting them is a MAC each, and a position is written with every frame.
     */
    private Map<String, Object> digestedAuth;

    private byte[] identityDigest;
    private String digestedRules;
    private byte[] rulesDigest;
    /** The position a resume starts from; null for a fresh snapshot. Only the first generation resumes. */
    private ResumePosition resumeFrom;
    /** Set when a delta could not be told apart (see {@link HeldKeys#CANNOT_TELL}): nothing more is sent until a restart. */
    private boolean cannotTell;

    private Runnable requestRestart = () -> {};
    private Runnable requestRejudge = () -> {};
    /** A re-read for a lookup change is in flight: deltas wait in {@link #buffer} until its rows are sent. */
    private boolean rejudging;
    /** Another lookup change arrived during the re-read (or the snapshot): read again once it is in. */
    private boolean rejudgeAgain;

    /**
     * The delivery batch that last gave this subscription changes ({@link #touchedIn}); the delivery
     * thread's own, read and written by it alone.
     */
    private Object touchedBy;
    /** The run of deliveries ({@link ChangeRun}) that last gave this subscription changes, and its slot there; likewise. */
    private Object runBy;

    private int runSlot;

    private State state = State.REGISTERING;
    private long generation;
    private String rulesVersion;
    private Map<String, Object> auth;
    private long registeringSince;
    private boolean overflowed;
    private int attempts = 1;
    private ReadPoint visibility;

    // The changes frame being assembled: the deltas of one transaction go out together, and so do those
    // of the transactions that arrive in one delivery batch (a frame is written per subscription and
    // batch, not per transaction, so an edge that fell behind catches up with fewer, larger frames).
    private final List<Map<String, Object>> pending = new ArrayList<>();
    /** The transactions {@link #pending} holds changes of, in the order they came. */
    private final List<FrameSink.Commit> pendingCommits = new ArrayList<>();

    /**
     * Writes the {@code position} of the frames a subscription sends: signed, and bound to its query,
     * subscriber and rules ({@link PositionCodec}).
     */
    interface Positions {
        /** Positions that resume nothing (tests, and edges that do not resume). */
        Positions NONE = state -> "none";

        String encode(ResumePosition position);

        default byte[] query() {
            return new byte[16];
        }

        default byte[] identity(Map<String, Object> auth) {
            return new byte[16];
        }

        default byte[] rules(String rulesVersion) {
            return new byte[16];
        }
    }

    /** A subscription whose generations count 1, 2, 3, ... of its own. */
    EdgeSubscription(
            SubscriptionId id,
            LiveQuery query,
            TableSchema schema,
            TableRef table,
            JsonNode frame,
            FrameSink outbox,
            ServerFrames frames,
            int maxBuffered,
            Map<String, Object> auth,
            String rulesVersion,
            long now) {
        this(
                id,
                query,
                schema,
                table,
                frame,
                outbox,
                frames,
                maxBuffered,
                auth,
                rulesVersion,
                now,
                new AtomicLong()::incrementAndGet);
    }

    /** @param generations the edge's generation counter: each call returns a number never returned before */
    EdgeSubscription(
            SubscriptionId id,
            LiveQuery query,
            TableSchema schema,
            TableRef table,
            JsonNode frame,
            FrameSink outbox,
            ServerFrames frames,
            int maxBuffered,
            Map<String, Object> auth,
            String rulesVersion,
            long now,
            LongSupplier generations) {
        this.generations = generations;
        this.generation = generations.getAsLong();
        this.id = id;
        this.query = query;
        this.schema = schema;
        this.table = table;
        this.frame = frame;
        this.sends = new OrderedSends(outbox);
        this.frames = frames;
        this.maxBuffered = maxBuffered;
        this.held = new HeldKeys(schema.primaryKey());
        this.windowed = query.limit() != null;
        this.auth = auth;
        this.rulesVersion = rulesVersion;
        this.registeringSince = now;
    }

    SubscriptionId id() {
        return id;
    }

    TableRef table() {
        return table;
    }

    LiveQuery query() {
        return query;
    }

    TableSchema schema() {
        return schema;
    }

    /** How a windowed query asks for a fresh read; set once by its owner before it goes live. */
    synchronized void onReadNeeded(Runnable request) {
        this.requestRead = request;
    }

    /** How this subscription asks to be started over when a resumed delta cannot be told apart; set once by its owner. */
    synchronized void onRestartNeeded(Runnable request) {
        this.requestRestart = request;
    }

    /**
     * How this subscription asks for an exact re-read when a table its rules look up changed; set once
     * by its owner. Called under this subscription's monitor: it may only schedule the read.
     */
    synchronized void onRejudgeNeeded(Runnable request) {
        this.requestRejudge = request;
    }

    /** How the subscription writes its positions; set once by its owner before it is registered. */
    synchronized void positions(Positions positions) {
        this.positions = positions;
        this.identityDigest = null;
        this.rulesDigest = null;
    }

    /** Asks to resume from this position instead of reading a snapshot; set once, before it is registered. */
    synchronized void resumeFrom(ResumePosition position) {
        this.resumeFrom = position;
    }

    /** The position this generation resumes from, or null when it reads a snapshot. */
    synchronized ResumePosition resuming() {
        return resumeFrom;
    }

    synchronized State state() {
        return state;
    }

    /**
     * Held while this subscription's record or its end is written to the routers, so that the two
     * never overtake each other: an end written after a record always wins. Never held while the
     * subscription's own monitor is, so a slow write cannot stall the delivery thread.
     */
    Object busLock() {
        return busLock;
    }

    synchronized long generation() {
        return generation;
    }

    synchronized Map<String, Object> auth() {
        return auth;
    }

    synchronized String rulesVersion() {
        return rulesVersion;
    }

    synchronized long registeringSince() {
        return registeringSince;
    }

    /** Registrations since the subscription was last live. */
    synchronized int registrationAttempts() {
        return attempts;
    }

    synchronized int heldRows() {
        return held.size();
    }

    /** The record to publish for the current generation. */
    synchronized SubscriptionRecord record(long now) {
        return new SubscriptionRecord(id, generation, table.source(), table.table(), frame, schema, auth, now);
    }

    /** @return true when this acknowledgement completes coverage: the caller starts the snapshot */
    synchronized boolean onRegistered(Delivery.Registered ack) {
        if (state != State.REGISTERING || ack.generation() != generation || !rulesVersion.equals(ack.rulesVersion())) {
            return false;
        }
        coverage.add(ack.partitions(), ack.partitionCount());
        partitionCount = ack.partitionCount();
        for (Integer partition : ack.partitions()) {
            Long offset = ack.from().get(partition);
            if (offset == null) {
                from.put(partition, -1L); // this router does not say: positions of this generation resume nothing
            } else {
                from.merge(partition, offset, Math::min);
            }
        }
        if (coverage.complete()) {
            state = State.SNAPSHOTTING;
            return true;
        }
        return false;
    }

    /**
     * Marks this subscription as touched by a delivery batch; delivery thread only.
     *
     * @param batch the batch's own token
     * @return true the first time it is called with this batch: the dispatcher flushes it once at the end
     */
    boolean touchedIn(Object batch) {
        if (touchedBy == batch) {
            return false;
        }
        touchedBy = batch;
        return true;
    }

    /**
     * This subscription's slot in a run of deliveries; delivery thread only.
     *
     * @param run  the run's own token
     * @param next the slot to take when the run has none for it yet
     * @return the slot taken before in this run, or -1 when {@code next} was taken now
     */
    int slotIn(Object run, int next) {
        if (runBy == run) {
            return runSlot;
        }
        runBy = run;
        runSlot = next;
        return -1;
    }

    /** One change's deltas for this subscription; their pieces are made for it alone. */
    void onChanges(Delivery.Changes meta, Delivery.Target target) {
        try {
            onChangesLocked(meta, target);
        } finally {
            sends.drain();
        }
    }

    /**
     * The deltas for this subscription of several changes, in the order they arrived: {@code metas[i]}
     * and {@code targets[i]} for {@code from <= i < to}. Taken under one hold of the monitor.
     *
     * @param recent the calling dispatcher's pieces of the deltas translated last ({@link RecentDeltas})
     */
    void onChanges(Delivery.Changes[] metas, Delivery.Target[] targets, int from, int to, RecentDeltas recent) {
        try {
            synchronized (this) {
                for (int i = from; i < to; i++) {
                    arrived(metas[i], targets[i], recent);
                }
            }
        } finally {
            sends.drain();
        }
    }

    private synchronized void onChangesLocked(Delivery.Changes meta, Delivery.Target target) {
        arrived(meta, target, RecentDeltas.none());
    }

    /** Takes one change's deltas for this subscription; the monitor is held. */
    private void arrived(Delivery.Changes meta, Delivery.Target target, RecentDeltas recent) {
        if (target.generation() != generation || !rulesVersion.equals(target.rulesVersion())) {
            return;
        }
        switch (state) {
            case REGISTERING, SNAPSHOTTING -> {
                if (buffer.size() >= maxBuffered) {
                    overflowed = true;
                    buffer.clear();
                } else if (!overflowed) {
                    buffer.add(new Buffered(meta, target));
                }
            }
            case LIVE -> {
                if (!rejudging) {
                    apply(meta, target, recent);
                } else if (buffer.size() >= maxBuffered) {
                    overflowed = true;
                    buffer.clear();
                } else if (!overflowed) {
                    buffer.add(new Buffered(meta, target));
                }
            }
            case CLOSED -> {}
        }
    }

    /**
     * A table this subscription's rules look up changed (a membership inserted or deleted): the rows
     * the subscriber may read may have changed with no change to this table, so they are read again and
     * the difference sent ({@link #rejudged}). Before the first result, the read follows it.
     */
    synchronized void lookupsChanged() {
        switch (state) {
            case REGISTERING, SNAPSHOTTING -> rejudgeAgain = true;
            case LIVE -> rejudge();
            case CLOSED -> {}
        }
    }

    private void rejudge() {
        if (windowed) {
            dirty = true; // a window is read again anyway: its read judges with the lookups as they are now
            if (!readPending) {
                readPending = true;
                requestRead.run();
            }
        } else if (rejudging) {
            rejudgeAgain = true;
        } else {
            rejudging = true;
            rejudgeAgain = false;
            requestRejudge.run();
        }
    }

    /** What to do after a re-read for a lookup change. */
    enum Rejudged {
        DONE,
        /** Lookups changed again during the read: read again. */
        AGAIN,
        /** Too many deltas arrived during the read: start over. */
        RESTART
    }

    /**
     * Sends the difference between the rows the client holds and a re-read judged with the lookups as
     * they are now ({@code removed} for rows no longer readable, {@code added} for rows now readable,
     * {@code changed} where masks changed), then the deltas that arrived during the read and that it
     * did not see, exactly as after a snapshot.
     */
    Rejudged rejudged(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        try {
            return rejudgedLocked(forGeneration, rows, seen);
        } finally {
            sends.drain();
        }
    }

    private synchronized Rejudged rejudgedLocked(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        if (state != State.LIVE || forGeneration != generation || !rejudging) {
            return Rejudged.DONE;
        }
        rejudging = false;
        if (overflowed) {
            return Rejudged.RESTART;
        }
        flushLocked();
        List<Map<String, Object>> changes = held.replaceWith(rows);
        visibility = seen;
        if (!changes.isEmpty()) {
            sends.add(frames.changes(id.queryId(), changes, position(), System.currentTimeMillis()));
        }
        while (!buffer.isEmpty()) {
            Buffered b = buffer.poll();
            apply(b.meta(), b.target(), RecentDeltas.none());
        }
        flushLocked();
        if (rejudgeAgain) {
            rejudgeAgain = false;
            rejudging = true;
            return Rejudged.AGAIN;
        }
        return Rejudged.DONE;
    }

    /**
     * Sends the snapshot and replays what arrived meanwhile.
     *
     * @return false when the snapshot is stale (a restart happened meanwhile) or too many changes
     *         arrived meanwhile; the caller then restarts the subscription
     */
    boolean snapshotTaken(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        try {
            return snapshotTakenLocked(forGeneration, rows, seen);
        } finally {
            sends.drain();
        }
    }

    private synchronized boolean snapshotTakenLocked(
            long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        if (state != State.SNAPSHOTTING || forGeneration != generation) {
            return true;
        }
        if (overflowed) {
            return false;
        }
        visibility = seen;
        held.reset(rows);
        marks.clear();
        sends.add(frames.snapshot(id.queryId(), schema.primaryKey(), rows, position()));
        state = State.LIVE;
        attempts = 0;
        while (!buffer.isEmpty()) {
            Buffered b = buffer.poll();
            apply(b.meta(), b.target(), RecentDeltas.none());
        }
        flushLocked();
        if (rejudgeAgain) {
            rejudgeAgain = false; // the lookups changed while the result was read: judge it again
            rejudge();
        }
        return true;
    }

    /** What a resume of this generation replays: the change partitions' ranges, from the position to the routers' start. */
    record ResumePlan(
            long generation,
            ResumePosition position,
            Map<Integer, Long> from,
            int partitionCount,
            Map<String, Object> auth,
            String rulesVersion,
            boolean sameIdentity,
            boolean sameRules) {}

    /** The resume to run now that routers acknowledged, or null when this generation reads a snapshot. */
    synchronized ResumePlan resumePlan() {
        if (state != State.SNAPSHOTTING || resumeFrom == null) {
            return null;
        }
        return new ResumePlan(
                generation,
                resumeFrom,
                Map.copyOf(from),
                partitionCount,
                auth,
                rulesVersion,
                java.util.Arrays.equals(resumeFrom.identity(), positions.identity(auth)),
                java.util.Arrays.equals(resumeFrom.rules(), positions.rules(rulesVersion)));
    }

    /**
     * The resume cannot be exact: tells the client why ({@code reset}); a snapshot follows as for a
     * first subscribe.
     *
     * @return false when the generation is stale (a restart happened meanwhile)
     */
    boolean resumeRefused(long forGeneration, String reason) {
        try {
            return resumeRefusedLocked(forGeneration, reason);
        } finally {
            sends.drain();
        }
    }

    private synchronized boolean resumeRefusedLocked(long forGeneration, String reason) {
        if (state != State.SNAPSHOTTING || forGeneration != generation) {
            return false;
        }
        resumeFrom = null;
        sends.add(frames.reset(id.queryId(), reason));
        return true;
    }

    /**
     * Resumes: tells the client ({@code resumed}), restores the stitching state the position carries,
     * applies the replayed changes partition by partition, then what routers delivered meanwhile,
     * exactly as after a snapshot.
     *
     * @param replayed per change partition, the changes below the routers' start that touch this query
     * @return false when too many changes arrived meanwhile; the caller then restarts the subscription
     */
    boolean resumeTaken(long forGeneration, Map<Integer, List<Delivery.Changes>> replayed, ReadPoint seen) {
        try {
            return resumeTakenLocked(forGeneration, replayed, seen);
        } finally {
            sends.drain();
        }
    }

    private synchronized boolean resumeTakenLocked(
            long forGeneration, Map<Integer, List<Delivery.Changes>> replayed, ReadPoint seen) {
        if (state != State.SNAPSHOTTING || forGeneration != generation) {
            return true;
        }
        if (overflowed) {
            return false;
        }
        ResumePosition position = resumeFrom;
        visibility = seen;
        held.blind();
        marks.clear();
        for (int p = 0; p < position.partitionCount(); p++) {
            marks.offset(p, position.next()[p] - 1);
            if (position.orders()[p] != null) {
                marks.order(p, position.orders()[p]);
            }
        }
        sends.add(frames.resumed(id.queryId()));
        state = State.LIVE;
        attempts = 0;
        for (Map.Entry<Integer, List<Delivery.Changes>> partition : new java.util.TreeMap<>(replayed).entrySet()) {
            for (Delivery.Changes change : partition.getValue()) {
                for (Delivery.Target target : change.targets()) {
                    apply(change, target, RecentDeltas.none());
                }
            }
            Long floor = from.get(partition.getKey());
            if (floor != null) {
                // every change below the routers' start was judged by the replay, with or without an effect
                marks.raiseOffset(partition.getKey(), floor - 1);
            }
        }
        while (!buffer.isEmpty()) {
            Buffered b = buffer.poll();
            apply(b.meta(), b.target(), RecentDeltas.none());
        }
        flushLocked();
        if (rejudgeAgain) {
            rejudgeAgain = false; // the lookups changed while the result was read: judge it again
            rejudge();
        }
        return true;
    }

    /**
     * @param recent pieces of deltas translated before on this thread: the dispatcher's on the delivery
     *               thread, none for what this subscription buffered (nothing to share it with)
     */
    private void apply(Delivery.Changes meta, Delivery.Target target, RecentDeltas recent) {
        if (cannotTell) {
            return; // starting over
        }
        int partition = meta.changePartition();
        if (marks.hasOffset(partition) && meta.changeOffset() <= marks.offset(partition)) {
            return; // a router replayed this change after a restart
        }
        // The marks move before the frame is sent: its position, written when it is, covers exactly what
        // it and earlier frames hold, every change it carries included.
        marks.offset(partition, meta.changeOffset());
        if (!SourceOrder.isAfter(meta.sourceOrder(), marks.order(partition))) {
            return; // ingest published this change again after a restart, at a new offset
        }
        if (meta.sourceOrder() != null) {
            marks.order(partition, meta.sourceOrder());
        }
        if (visibility.sees(meta.stamp())) {
            return; // already in the snapshot
        }
        if (windowed) {
            dirty = true;
            if (!readPending) {
                readPending = true;
                requestRead.run();
            }
            return;
        }
        int before = pending.size();
        for (Delta delta : target.deltas()) {
            Map<String, Object> change = held.translate(delta, recent);
            if (change == HeldKeys.CANNOT_TELL) {
                // A resumed client may or may not hold this row, and the change does not say: start over.
                cannotTell = true;
                pending.clear();
                pendingCommits.clear();
                requestRestart.run();
                return;
            }
            if (change != null) {
                pending.add(change);
            }
        }
        if (pending.size() > before
                && (pendingCommits.isEmpty()
                        || !java.util.Objects.equals(
                                pendingCommits.get(pendingCommits.size() - 1).txId(), meta.txId()))) {
            pendingCommits.add(new FrameSink.Commit(meta.txId(), meta.commitTimeMs()));
        }
    }

    /**
     * Where the client stands once it applied everything sent so far: the read point of its rows and,
     * per change partition, the offset below which every change is reflected in them. Resumable only
     * for an unlimited query whose routers all said where they read.
     */
    private String position() {
        int count = partitionCount;
        long[] next = new long[count];
        String[] orders = new String[count];
        boolean resumable = !windowed && count > 0 && from.size() == count;
        for (int p = 0; p < count && resumable; p++) {
            Long floor = from.get(p);
            if (floor == null || floor < 0) {
                resumable = false;
                break;
            }
            // After a snapshot, routers deliver from the floor on; once a change of the partition was
            // taken (or, on a resume, the position's own marks), everything up to it is reflected.
            next[p] = marks.hasOffset(p) ? marks.offset(p) + 1 : floor;
            orders[p] = marks.order(p);
        }
        if (!resumable) {
            next = new long[0];
            orders = new String[0];
        }
        if (identityDigest == null || digestedAuth != auth) {
            identityDigest = positions.identity(auth);
            digestedAuth = auth;
        }
        if (rulesDigest == null || !java.util.Objects.equals(digestedRules, rulesVersion)) {
            rulesDigest = positions.rules(rulesVersion);
            digestedRules = rulesVersion;
        }
        return positions.encode(new ResumePosition(
                resumable, positions.query(), identityDigest, rulesDigest, visibility.token(), next, orders));
    }

    /**
     * A windowed query's fresh read starts: changes after this point need another read.
     *
     * @return the generation the read is for
     */
    synchronized long readStarting() {
        dirty = false;
        return generation;
    }

    /**
     * Sends the difference between the rows the client holds and a fresh read of the window.
     *
     * @return true when changes arrived during the read that it may not have seen: read again
     */
    boolean windowRead(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        try {
            return windowReadLocked(forGeneration, rows, seen);
        } finally {
            sends.drain();
        }
    }

    private synchronized boolean windowReadLocked(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        if (state != State.LIVE || forGeneration != generation) {
            readPending = false;
            return false;
        }
        List<Map<String, Object>> changes = held.replaceWith(rows);
        visibility = seen;
        if (!changes.isEmpty()) {
            sends.add(frames.changes(id.queryId(), changes, position(), System.currentTimeMillis()));
        }
        if (dirty) {
            return true;
        }
        readPending = false;
        return false;
    }

    /** Sends the changes frame being assembled, if any. */
    void flush() {
        try {
            flushLocked();
        } finally {
            sends.drain();
        }
    }

    private synchronized void flushLocked() {
        if (!pending.isEmpty()) {
            // committedAt: when the last transaction the frame carries committed
            long committedAt = pendingCommits.isEmpty()
                    ? 0
                    : pendingCommits.get(pendingCommits.size() - 1).committedAtMs();
            sends.add(
                    frames.changes(id.queryId(), new ArrayList<>(pending), position(), committedAt),
                    List.copyOf(pendingCommits));
            pending.clear();
        }
        pendingCommits.clear();
    }

    /**
     * Starts over under a new generation: tells the client (when it already had a result) and
     * forgets all stitching state.
     *
     * @return the record to publish for the new generation, or null when closed
     */
    SubscriptionRecord restart(String reason, Map<String, Object> newAuth, String newRulesVersion, long now) {
        try {
            return restartLocked(reason, newAuth, newRulesVersion, now);
        } finally {
            sends.drain();
        }
    }

    private synchronized SubscriptionRecord restartLocked(
            String reason, Map<String, Object> newAuth, String newRulesVersion, long now) {
        if (state == State.CLOSED) {
            return null;
        }
        if (state == State.LIVE) {
            // the client was answered (snapshot or resumed) and now drops what it holds: from here on
            // it holds only what the next generation sends, so that one reads a snapshot
            resumeFrom = null;
            if (!cannotTell) {
                flushLocked();
            }
            pending.clear();
            pendingCommits.clear();
            sends.add(frames.reset(id.queryId(), reason));
        }
        generation = generations.getAsLong();
        attempts++;
        auth = newAuth;
        rulesVersion = newRulesVersion;
        state = State.REGISTERING;
        registeringSince = now;
        coverage.clear();
        from.clear();
        partitionCount = 0;
        cannotTell = false;
        buffer.clear();
        overflowed = false;
        visibility = null;
        pending.clear();
        pendingCommits.clear();
        readPending = false;
        dirty = false;
        rejudging = false;
        rejudgeAgain = false;
        return record(now);
    }

    /**
     * Ends the subscription: from now on nothing is sent for it.
     *
     * @return true when this call ended it, false when it had ended already
     */
    synchronized boolean close() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        buffer.clear();
        pending.clear();
        pendingCommits.clear();
        sends.discard();
        readPending = false;
        return true;
    }

    /**
     * Returns once no frame of this subscription is being written to the connection. After {@link
     * #close}, a frame the caller sends next (its last words, {@code unsubscribed}) follows them all.
     * Never call it while holding this subscription's monitor.
     */
    void awaitWritten() {
        sends.awaitWritten();
    }
}
