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
 * <p>Thread-safe: every method is synchronized; the delivery thread, the snapshot workers and the
 * connection's receive path all call in.
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
    private final FrameSink outbox;
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
    private final Map<Integer, Long> lastOffset = new HashMap<>();
    private final Map<Integer, String> lastOrder = new HashMap<>();

    private State state = State.REGISTERING;
    private long generation;
    private String rulesVersion;
    private Map<String, Object> auth;
    private long registeringSince;
    private boolean overflowed;
    private int attempts = 1;
    private ReadPoint visibility;

    // the changes frame being assembled: consecutive deltas of one transaction go out together
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private String pendingTx;
    private String pendingPosition;
    private long pendingCommittedAt;

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
        this.outbox = outbox;
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
        if (coverage.complete()) {
            state = State.SNAPSHOTTING;
            return true;
        }
        return false;
    }

    synchronized void onChanges(Delivery.Changes meta, Delivery.Target target) {
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
            case LIVE -> apply(meta, target);
            case CLOSED -> {}
        }
    }

    /**
     * Sends the snapshot and replays what arrived meanwhile.
     *
     * @return false when the snapshot is stale (a restart happened meanwhile) or too many changes
     *         arrived meanwhile; the caller then restarts the subscription
     */
    synchronized boolean snapshotTaken(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        if (state != State.SNAPSHOTTING || forGeneration != generation) {
            return true;
        }
        if (overflowed) {
            return false;
        }
        visibility = seen;
        held.reset(rows);
        lastOffset.clear();
        lastOrder.clear();
        outbox.send(frames.snapshot(id.queryId(), schema.primaryKey(), rows, "snapshot:" + seen.token()));
        state = State.LIVE;
        attempts = 0;
        while (!buffer.isEmpty()) {
            Buffered b = buffer.poll();
            apply(b.meta(), b.target());
        }
        flush();
        return true;
    }

    private void apply(Delivery.Changes meta, Delivery.Target target) {
        Long last = lastOffset.get(meta.changePartition());
        if (last != null && meta.changeOffset() <= last) {
            return; // a router replayed this change after a restart
        }
        lastOffset.put(meta.changePartition(), meta.changeOffset());
        if (!SourceOrder.isAfter(meta.sourceOrder(), lastOrder.get(meta.changePartition()))) {
            return; // ingest published this change again after a restart, at a new offset
        }
        if (meta.sourceOrder() != null) {
            lastOrder.put(meta.changePartition(), meta.sourceOrder());
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
        if (!pending.isEmpty() && !java.util.Objects.equals(pendingTx, meta.txId())) {
            flush();
        }
        for (Delta delta : target.deltas()) {
            Map<String, Object> change = held.translate(delta);
            if (change != null) {
                pending.add(change);
            }
        }
        pendingTx = meta.txId();
        pendingPosition = meta.position();
        pendingCommittedAt = meta.commitTimeMs();
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
    synchronized boolean windowRead(long forGeneration, List<Map<String, Object>> rows, ReadPoint seen) {
        if (state != State.LIVE || forGeneration != generation) {
            readPending = false;
            return false;
        }
        List<Map<String, Object>> changes = held.replaceWith(rows);
        visibility = seen;
        if (!changes.isEmpty()) {
            outbox.send(frames.changes(id.queryId(), changes, "snapshot:" + seen.token(), System.currentTimeMillis()));
        }
        if (dirty) {
            return true;
        }
        readPending = false;
        return false;
    }

    /** Sends the changes frame being assembled, if any. */
    synchronized void flush() {
        if (!pending.isEmpty()) {
            outbox.send(
                    frames.changes(id.queryId(), new ArrayList<>(pending), pendingPosition, pendingCommittedAt),
                    pendingTx,
                    pendingCommittedAt);
            pending.clear();
        }
        pendingTx = null;
    }

    /**
     * Starts over under a new generation: tells the client (when it already had a result) and
     * forgets all stitching state.
     *
     * @return the record to publish for the new generation, or null when closed
     */
    synchronized SubscriptionRecord restart(
            String reason, Map<String, Object> newAuth, String newRulesVersion, long now) {
        if (state == State.CLOSED) {
            return null;
        }
        if (state == State.LIVE) {
            flush();
            outbox.send(frames.reset(id.queryId(), reason));
        }
        generation = generations.getAsLong();
        attempts++;
        auth = newAuth;
        rulesVersion = newRulesVersion;
        state = State.REGISTERING;
        registeringSince = now;
        coverage.clear();
        buffer.clear();
        overflowed = false;
        visibility = null;
        pending.clear();
        readPending = false;
        dirty = false;
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
        readPending = false;
        return true;
    }
}
