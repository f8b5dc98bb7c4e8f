package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.Interner;
import io.undercurrent.bus.SubscriptionCompiler;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.NotCapturedYetException;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.UnknownTableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes, unsubscribes and restarts live queries: validation, publication to the routers,
 * snapshots once routers acknowledge, and resets when rules or tokens change. Blocking work
 * (catalog reads, snapshots) runs on the worker executor, never on an IO thread or the delivery
 * thread: when the executor refuses work (its queue is full), the client is answered
 * {@code overloaded} and asked to retry, rather than the work running on the caller. Thread-safe.
 *
 * <p>An unsubscribe ends a live query in every state it can be in: still being validated on a
 * worker ({@link PendingSubscribes}), waiting for routers, snapshotting, live, or with a window read
 * in flight. It is answered {@code unsubscribed}, and nothing for that query id follows: neither the
 * snapshot nor an error of work that was already under way. The routers' copy is ended by a
 * tombstone that no earlier record of the subscription can overtake.
 */
final class LiveQueries {

    private static final Logger LOG = LoggerFactory.getLogger(LiveQueries.class);

    private final EdgeSettings settings;
    private final Map<String, SourceReader> readers;
    private final SchemaSource schemas;
    private final SnapshotSource snapshots;
    private final SubscriptionPublisher bus;
    private final SubscriptionTable table;
    private final Supplier<RuleSet> rules;
    private final Executor workers;
    private final Clock clock;
    private final ServerFrames frames;
    /** The routers' own compile step, so a query they would refuse is refused here, at once. */
    private final SubscriptionCompiler queries = new SubscriptionCompiler();
    /**
     * One copy of subscribe frames that repeat (many clients run the same query): a subscription keeps
     * its frame for as long as it lives, to publish it again. Nothing changes a frame once it was
     * parsed. At most 1,024 frames kept beyond their subscriptions.
     */
    private final Interner<JsonNode> frameTrees = new Interner<>(1024);

    private final java.util.Set<SubscriptionId> waitingForCapture = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final PendingSubscribes pending = new PendingSubscribes();
    /** Generations of every subscription on this edge, so a reused query id never matches a stale acknowledgement. */
    private final AtomicLong generations = new AtomicLong();

    private final ScheduledExecutorService delays;
    /** Signs and checks positions; null on an edge that does not resume (its positions resume nothing). */
    private final PositionCodec positions;

    private final ResumeReplay replay;
    private io.undercurrent.edge.LookupReads lookupReads = io.undercurrent.edge.LookupReads.NONE;
    /** The lookups' mark at the last {@link #lookupsChanged}; written by the feeder's thread only. */
    private volatile long lookupsNotified;
    /** Reset reasons of a resume that cannot be exact (PROTOCOL.md, "Resume"). */
    static final String NOT_OURS =
            "the position is not one this deployment issued (altered, or from another deployment)";

    static final String OTHER_QUERY = "the position belongs to another query";
    static final String OTHER_SUBSCRIBER = "the position belongs to another subscriber";
    static final String RULES_CHANGED = "the rules of the table changed since the position";
    static final String WINDOW = "a query with limit is not resumed; its window is read again";
    static final String LOOKUPS = "the table's rules look up other tables, whose changes since the position cannot be"
            + " replayed; its rows are read again";
    static final String NO_OLD_IMAGE = "the table does not send old row images (REPLICA IDENTITY FULL), so the rows the"
            + " client holds cannot be told";
    /** Snapshot attempts, 500 ms apart, while a source's replication slot does not exist yet. */
    static final int CAPTURE_WAIT_ATTEMPTS = 60;
    /** Registrations of one subscription, evenly spread over the registration timeout, before the client is told. */
    static final int REGISTRATION_ATTEMPTS = 3;
    /** What a client is told when the workers are all busy and their queue is full. */
    static final String OVERLOADED =
            "this edge is busy reading other initial results; subscribe again in a moment (with backoff)";

    LiveQueries(
            EdgeSettings settings,
            Map<String, SourceReader> readers,
            SchemaSource schemas,
            SnapshotSource snapshots,
            SubscriptionPublisher bus,
            SubscriptionTable table,
            Supplier<RuleSet> rules,
            Executor workers,
            ScheduledExecutorService delays,
            Clock clock,
            ServerFrames frames) {
        this(settings, readers, schemas, snapshots, bus, table, rules, workers, delays, clock, frames, null, null);
    }

    /**
     * @param positions signs and checks the positions of frames, or null for an edge that does not resume
     * @param replay    reads what a resuming client missed, or null with {@code positions}
     */
    LiveQueries(
            EdgeSettings settings,
            Map<String, SourceReader> readers,
            SchemaSource schemas,
            SnapshotSource snapshots,
            SubscriptionPublisher bus,
            SubscriptionTable table,
            Supplier<RuleSet> rules,
            Executor workers,
            ScheduledExecutorService delays,
            Clock clock,
            ServerFrames frames,
            PositionCodec positions,
            ResumeReplay replay) {
        this.positions = positions;
        this.replay = replay;
        this.delays = delays;
        this.settings = settings;
        this.readers = readers;
        this.schemas = schemas;
        this.snapshots = snapshots;
        this.bus = bus;
        this.table = table;
        this.rules = rules;
        this.workers = workers;
        this.clock = clock;
        this.frames = frames;
    }

    /**
     * Takes the query id at once (so an unsubscribe right behind it finds it), then validates and
     * opens the live query on a worker.
     */
    void subscribe(ClientConnection connection, ClientFrame.Subscribe frame) {
        SubscriptionId id = new SubscriptionId(settings.edgeId(), connection.id(), frame.id());
        PendingSubscribes.Pending request =
                connection.subscriptions().containsKey(frame.id()) ? null : pending.reserve(id);
        if (request == null) {
            connection.outbox().send(frames.error(frame.id(), ErrorCode.BAD_REQUEST, alreadyOpen(frame.id())));
            return;
        }
        Runnable validate = () -> {
            try {
                register(connection, frame, request);
            } catch (ProtocolException e) {
                request.settle(() -> connection.outbox().send(frames.error(e.requestId(), e.code(), e.getMessage())));
            } catch (RuntimeException e) {
                LOG.error("subscribe {} on connection {} failed", frame.id(), connection.id(), e);
                request.settle(() -> connection
                        .outbox()
                        .send(frames.error(frame.id(), ErrorCode.INTERNAL, "subscribe failed: " + e.getMessage())));
            } finally {
                pending.done(request);
            }
        };
        try {
            workers.execute(validate);
        } catch (RejectedExecutionException e) {
            request.settle(() -> connection.outbox().send(frames.error(frame.id(), ErrorCode.OVERLOADED, OVERLOADED)));
            pending.done(request);
        }
    }

    private static String alreadyOpen(String queryId) {
        return "a subscription with id \"" + queryId + "\" is already open";
    }

    private void register(ClientConnection connection, ClientFrame.Subscribe frame, PendingSubscribes.Pending request)
            throws ProtocolException {
        String queryId = frame.id();
        String source = frame.source() == null ? settings.defaultSource() : frame.source();
        RuleSet ruleSet = rules.get();
        SourceReader reader = readers.get(source);
        // A source without a reader: the name as written (its answer is a refusal, or "no source" below).
        String refused = QueryAccess.tableRefusal(
                ruleSet, source, frame.table(), reader == null ? t -> t : reader::qualify, connection.claims());
        if (refused != null) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, queryId, refused);
        }
        if (reader == null) {
            throw new ProtocolException(
                    ErrorCode.UNKNOWN_TABLE,
                    queryId,
                    "no source named \"" + source + "\" serves live queries"
                            + " (live queries need a PostgreSQL, MariaDB or MongoDB source)");
        }
        TableSchema schema = schema(source, frame.table(), queryId);
        LiveQuery query;
        try {
            query = queries.check(frame.query(), schema);
        } catch (InvalidQueryException e) {
            throw new ProtocolException(ErrorCode.INVALID_QUERY, queryId, e.getMessage());
        }
        if (schema.primaryKey().isEmpty()) {
            throw new ProtocolException(
                    ErrorCode.INVALID_QUERY,
                    queryId,
                    "table " + frame.table() + " has no primary key; " + "live queries address rows by key");
        }
        TableRef tableRef = new TableRef(source, schema.table());
        refused = QueryAccess.queryRefusal(ruleSet, tableRef, query, connection.claims());
        if (refused != null) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, queryId, refused);
        }
        if (connection.subscriptions().size() >= settings.maxSubscriptions()) {
            throw new ProtocolException(
                    ErrorCode.LIMIT_EXCEEDED,
                    queryId,
                    "at most " + settings.maxSubscriptions() + " subscriptions per connection; unsubscribe one first");
        }
        SubscriptionId id = request.id();
        EdgeSubscription sub = new EdgeSubscription(
                id,
                query,
                schema,
                tableRef,
                frameTrees.intern(frame.query()),
                connection.outbox(),
                frames,
                settings.maxBufferedDeltas(),
                connection.claims(),
                ruleSet.version(tableRef),
                clock.millis(),
                generations::incrementAndGet);
        if (query.limit() != null) {
            sub.onReadNeeded(() -> readWindowSoon(connection, sub));
        }
        sub.onRejudgeNeeded(() -> rejudgeSoon(connection, sub));
        String resetReason = null;
        if (positions != null) {
            EdgeSubscription.Positions bound = positions.bind(positions.query(tableRef, frame.query()));
            sub.positions(bound);
            sub.onRestartNeeded(() -> restartSoon(connection, sub, NO_OLD_IMAGE));
            if (frame.after() != null) {
                ResumePosition from = positions.decode(frame.after());
                resetReason = resumeRefusal(from, query, bound, connection.claims(), ruleSet.version(tableRef));
                if (resetReason == null && !ruleSet.lookedUpBy(tableRef).isEmpty()) {
                    resetReason = LOOKUPS;
                }
                if (resetReason == null) {
                    sub.resumeFrom(from);
                }
            }
        } else if (frame.after() != null) {
            resetReason = NOT_OURS;
        }
        open(connection, request, sub, resetReason);
    }

    /** Why a position cannot be resumed for this subscribe, or null when it may be (see PROTOCOL.md, "Resume"). */
    private static String resumeRefusal(
            ResumePosition from,
            LiveQuery query,
            EdgeSubscription.Positions bound,
            Map<String, Object> claims,
            String rulesVersion) {
        if (from == null) {
            return NOT_OURS;
        }
        if (!java.util.Arrays.equals(from.query(), bound.query())) {
            return OTHER_QUERY;
        }
        if (!java.util.Arrays.equals(from.identity(), bound.identity(claims))) {
            return OTHER_SUBSCRIBER;
        }
        if (!java.util.Arrays.equals(from.rules(), bound.rules(rulesVersion))) {
            return RULES_CHANGED;
        }
        if (query.limit() != null || !from.resumable()) {
            return WINDOW;
        }
        return null;
    }

    /** Starts a subscription over from a housekeeping thread: its caller holds the subscription's monitor. */
    private void restartSoon(ClientConnection connection, EdgeSubscription sub, String reason) {
        try {
            delays.execute(() -> restart(connection, sub, reason));
        } catch (RejectedExecutionException e) {
            LOG.debug("edge closing; not restarting {}", sub.id().asKey());
        }
    }

    /** Opens a validated live query, unless it was unsubscribed while it was being validated. */
    private void open(
            ClientConnection connection, PendingSubscribes.Pending request, EdgeSubscription sub, String resetReason)
            throws ProtocolException {
        String queryId = sub.id().queryId();
        boolean[] taken = new boolean[1];
        boolean opened = request.settle(() -> {
            taken[0] = connection.subscriptions().putIfAbsent(queryId, sub) != null;
            if (!taken[0]) {
                table.add(sub);
                if (resetReason != null) {
                    // asked to resume, and cannot be: the fresh snapshot that follows replaces its rows
                    connection.outbox().send(frames.reset(queryId, resetReason));
                }
            }
        });
        if (!opened) {
            return; // unsubscribed meanwhile, and already answered
        }
        if (taken[0]) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, queryId, alreadyOpen(queryId));
        }
        publish(connection, sub, sub.record(clock.millis()));
    }

    private TableSchema schema(String source, String tableName, String queryId) throws ProtocolException {
        try {
            return schemas.get(source, tableName);
        } catch (UnknownTableException e) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TABLE, queryId, e.getMessage());
        } catch (SourceReadException e) {
            throw new ProtocolException(ErrorCode.INTERNAL, queryId, e.getMessage());
        }
    }

    /** Publishes a record of the subscription, unless it ended or started over meanwhile. */
    private void publish(ClientConnection connection, EdgeSubscription sub, SubscriptionRecord record) {
        CompletableFuture<Void> published;
        synchronized (sub.busLock()) {
            if (sub.state() == EdgeSubscription.State.CLOSED || sub.generation() != record.generation()) {
                return; // a record written now would outlive the tombstone, or replace a newer record
            }
            published = bus.publish(record);
        }
        published.whenComplete((ok, error) -> {
            if (error != null) {
                fail(
                        connection,
                        sub,
                        ErrorCode.INTERNAL,
                        "cannot register the subscription (Kafka unavailable: " + error.getMessage()
                                + "); subscribe again later");
            }
        });
    }

    /** Ends a live query in whatever state it is: still being validated, registering, snapshotting or live. */
    void unsubscribe(ClientConnection connection, String queryId) {
        boolean cancelled = pending.cancel(new SubscriptionId(settings.edgeId(), connection.id(), queryId));
        EdgeSubscription sub = connection.subscriptions().remove(queryId);
        if (sub == null && !cancelled) {
            connection
                    .outbox()
                    .send(frames.error(
                            queryId, ErrorCode.BAD_REQUEST, "no open subscription with id \"" + queryId + "\""));
            return;
        }
        if (sub != null) {
            end(sub, null);
        }
        connection.outbox().send(frames.unsubscribed(queryId));
    }

    /** Ends every subscription of a closed connection, including those still being validated. */
    void closeAll(ClientConnection connection) {
        pending.cancelConnection(connection.id());
        for (EdgeSubscription sub : connection.subscriptions().values()) {
            end(sub, null);
        }
        connection.subscriptions().clear();
    }

    /**
     * Ends a subscription once: closes it, and withdraws it from the routers.
     *
     * @param lastWords sends a frame as the subscription ends, or null; runs only in the call that
     *                  ends it, before any other thread can answer for the query id
     * @return false when the subscription had ended already
     */
    private boolean end(EdgeSubscription sub, Runnable lastWords) {
        synchronized (sub.busLock()) {
            if (!sub.close()) {
                return false;
            }
            // a frame another thread took before the close is written before the last words (or unsubscribed)
            sub.awaitWritten();
            bus.unpublish(sub.id());
            if (lastWords != null) {
                lastWords.run();
            }
        }
        waitingForCapture.remove(sub.id());
        table.remove(sub);
        return true;
    }

    /** Ends a subscription with an error frame, unless it ended already (then the client hears nothing more of it). */
    private void fail(ClientConnection connection, EdgeSubscription sub, ErrorCode code, String message) {
        if (end(sub, () -> connection.outbox().send(frames.error(sub.id().queryId(), code, message)))) {
            connection.subscriptions().remove(sub.id().queryId(), sub);
        }
    }

    void startSnapshot(EdgeSubscription sub, ClientConnection connection) {
        if (connection == null) {
            return; // the client left while routers acknowledged
        }
        read(connection, sub, () -> {
            if (sub.resumePlan() != null) {
                resume(sub, connection);
            } else {
                snapshot(sub, connection, 0);
            }
        });
    }

    /**
     * Resumes instead of reading a snapshot: replays what the client missed below the routers' start,
     * then stitches the routers' deliveries on. When that cannot be exact the client gets {@code reset}
     * and a snapshot, as for a first subscribe.
     */
    private void resume(EdgeSubscription sub, ClientConnection connection) {
        EdgeSubscription.ResumePlan plan = sub.resumePlan();
        if (plan == null) {
            snapshot(sub, connection, 0);
            return;
        }
        String refused = null;
        try {
            RuleSet ruleSet = rules.get();
            if (!plan.sameIdentity()) {
                throw new NotResumableException(OTHER_SUBSCRIBER);
            }
            if (!plan.sameRules() || !ruleSet.version(sub.table()).equals(plan.rulesVersion())) {
                throw new NotResumableException(RULES_CHANGED);
            }
            if (plan.partitionCount() != plan.position().partitionCount()
                    || plan.from().size() != plan.partitionCount()
                    || plan.from().values().stream().anyMatch(offset -> offset < 0)) {
                throw new NotResumableException(
                        "the change topic's partitions changed since the position, or a router does not say where it"
                                + " reads");
            }
            ReadPoint point;
            try {
                point = readers.get(sub.table().source())
                        .readPoint(plan.position().readPoint());
            } catch (IllegalArgumentException e) {
                throw new NotResumableException(NOT_OURS);
            }
            Map<Integer, List<io.undercurrent.bus.Delivery.Changes>> missed =
                    replay.replay(sub, plan, ruleSet, clock.millis(), settings.maxBufferedDeltas());
            if (!sub.resumeTaken(plan.generation(), missed, point)) {
                restart(connection, sub, "too many changes arrived while the missed changes were read; starting over");
            }
            return;
        } catch (NotResumableException e) {
            refused = e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("resume of {} for {} failed: {}", sub.table(), sub.id().asKey(), e.getMessage());
            refused = "the missed changes could not be read (" + e.getMessage() + ")";
        }
        if (sub.resumeRefused(plan.generation(), refused)) {
            snapshot(sub, connection, 0);
        }
    }

    /**
     * Hands a read of this subscription to the workers; when they refuse it, ends the subscription
     * with {@code overloaded} (the client subscribes again) instead of reading on this thread.
     */
    private void read(ClientConnection connection, EdgeSubscription sub, Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            waitingForCapture.remove(sub.id());
            fail(connection, sub, ErrorCode.OVERLOADED, OVERLOADED);
        }
    }

    private void snapshot(EdgeSubscription sub, ClientConnection connection, int attempt) {
        {
            long generation = sub.generation();
            try {
                ReadResult result = snapshots.read(
                        sub.table(),
                        sub.query(),
                        sub.schema(),
                        sub.auth(),
                        rules.get(),
                        sub.id().queryId());
                waitingForCapture.remove(sub.id());
                if (!sub.snapshotTaken(generation, result.rows(), result.point())) {
                    restart(
                            connection,
                            sub,
                            "too many changes arrived while the initial result was read; starting over");
                }
            } catch (NotCapturedYetException e) {
                // Only on a source's very first start: ingest creates its slot within seconds.
                if (attempt < CAPTURE_WAIT_ATTEMPTS && sub.state() == EdgeSubscription.State.SNAPSHOTTING) {
                    waitingForCapture.add(sub.id());
                    delays.schedule(
                            () -> read(connection, sub, () -> snapshot(sub, connection, attempt + 1)),
                            500,
                            TimeUnit.MILLISECONDS);
                } else {
                    waitingForCapture.remove(sub.id());
                    fail(connection, sub, ErrorCode.INTERNAL, e.getMessage());
                }
            } catch (ProtocolException e) {
                fail(connection, sub, e.code(), e.getMessage());
            } catch (UnknownTableException e) {
                waitingForCapture.remove(sub.id());
                fail(connection, sub, ErrorCode.UNKNOWN_TABLE, e.getMessage());
            } catch (SourceReadException | RuntimeException e) {
                waitingForCapture.remove(sub.id());
                LOG.warn(
                        "snapshot of {} for {} failed: {}",
                        sub.table(),
                        sub.id().asKey(),
                        e.getMessage());
                fail(connection, sub, ErrorCode.INTERNAL, "reading the initial result failed: " + e.getMessage());
            }
        }
    }

    /**
     * Reads a windowed query again shortly: the pause lets a burst of changes share one read, and
     * the subscription keeps at most one read in flight.
     */
    private void readWindowSoon(ClientConnection connection, EdgeSubscription sub) {
        delays.schedule(
                () -> read(connection, sub, () -> readWindow(connection, sub)),
                settings.windowReadDelay().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void readWindow(ClientConnection connection, EdgeSubscription sub) {
        if (sub.state() == EdgeSubscription.State.CLOSED) {
            return;
        }
        long generation = sub.readStarting();
        readOrFail(connection, sub, "window read", "the query's window", result -> {
            if (sub.windowRead(generation, result.rows(), result.point())) {
                readWindowSoon(connection, sub);
            }
        });
    }

    /**
     * Reads a live query again after a table its rules look up changed; the pause lets a burst of
     * lookup changes share one read, and the subscription keeps at most one such read in flight.
     */
    private void rejudgeSoon(ClientConnection connection, EdgeSubscription sub) {
        try {
            delays.schedule(
                    () -> read(connection, sub, () -> rejudge(connection, sub)),
                    settings.windowReadDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("edge closing; not reading {} again", sub.id().asKey());
        }
    }

    private void rejudge(ClientConnection connection, EdgeSubscription sub) {
        if (sub.state() == EdgeSubscription.State.CLOSED) {
            return;
        }
        long generation = sub.generation();
        readOrFail(connection, sub, "re-read after a lookup change", "the query's rows again", result -> {
            switch (sub.rejudged(generation, result.rows(), result.point())) {
                case AGAIN -> rejudgeSoon(connection, sub);
                case RESTART ->
                    restart(connection, sub, "too many changes arrived while the rows were read again; starting over");
                case DONE -> {}
            }
        });
    }

    /**
     * Reads a live query again, after its initial result, and hands the rows to {@code then}; a failure of
     * the read (or of {@code then}) fails the live query with its error code, logged when unexpected.
     *
     * @param read     what the read is, for the log ({@code "window read"})
     * @param readWhat what was read, for the client's message ({@code "reading the query's window failed: ..."})
     */
    private void readOrFail(
            ClientConnection connection,
            EdgeSubscription sub,
            String read,
            String readWhat,
            Consumer<ReadResult> then) {
        try {
            then.accept(snapshots.read(
                    sub.table(),
                    sub.query(),
                    sub.schema(),
                    sub.auth(),
                    rules.get(),
                    sub.id().queryId()));
        } catch (ProtocolException e) {
            fail(connection, sub, e.code(), e.getMessage());
        } catch (NotCapturedYetException e) {
            fail(connection, sub, ErrorCode.INTERNAL, e.getMessage());
        } catch (UnknownTableException e) {
            fail(connection, sub, ErrorCode.UNKNOWN_TABLE, e.getMessage());
        } catch (SourceReadException | RuntimeException e) {
            LOG.warn("{} of {} for {} failed: {}", read, sub.table(), sub.id().asKey(), e.getMessage());
            fail(connection, sub, ErrorCode.INTERNAL, "reading " + readWhat + " failed: " + e.getMessage());
        }
    }

    /**
     * Tables that rules look up changed: every live query whose rules consult one of them is read again
     * and sent the difference (rows that became readable as {@code added}, rows no longer readable as
     * {@code removed}).
     */
    void lookupsChanged(java.util.Set<TableRef> lookedUp) {
        // Only subscribers whom a changed row may concern (their claims match its key columns) are read
        // again: a membership of bob's re-reads bob's queries, not everyone's.
        long since = lookupsNotified;
        lookupsNotified = lookupReads.mark();
        RuleSet ruleSet = rules.get();
        java.util.Set<TableRef> judged = new java.util.HashSet<>();
        for (TableRef t : ruleSet.tables()) {
            if (!java.util.Collections.disjoint(ruleSet.lookedUpBy(t), lookedUp)) {
                judged.add(t);
            }
        }
        if (judged.isEmpty()) {
            return;
        }
        for (EdgeSubscription sub : table.onTables(judged)) {
            if (lookupReads.changedSince(ruleSet.lookupBindings(sub.table()), sub.auth(), since)) {
                sub.lookupsChanged();
            }
        }
    }

    /** Where lookup changes are asked whom they concern; set once, before the edge starts. */
    void lookupReads(io.undercurrent.edge.LookupReads reads) {
        this.lookupReads = reads;
        this.lookupsNotified = reads.mark();
    }

    /** Live queries whose snapshot waits for their source's replication slot. */
    int waitingForCapture() {
        return waitingForCapture.size();
    }

    /** Starts a subscription over (reset + fresh snapshot) with the connection's current claims and rules. */
    void restart(ClientConnection connection, EdgeSubscription sub, String reason) {
        RuleSet ruleSet = rules.get();
        String refused = QueryAccess.restartRefusal(ruleSet, sub.table(), sub.query(), connection.claims());
        if (refused != null) {
            fail(connection, sub, ErrorCode.FORBIDDEN, refused);
            return;
        }
        SubscriptionRecord record =
                sub.restart(reason, connection.claims(), ruleSet.version(sub.table()), clock.millis());
        if (record != null) {
            publish(connection, sub, record);
        }
    }

    /** Every live query on this edge starts over (reset + fresh snapshot): deliveries for them may have been lost. */
    void restartAll(Map<String, ClientConnection> connections, String reason) {
        List<EdgeSubscription> all = List.copyOf(table.all());
        for (EdgeSubscription sub : all) {
            ClientConnection connection = connections.get(sub.id().connectionId());
            if (connection != null) {
                restart(connection, sub, reason);
            }
        }
        if (!all.isEmpty()) {
            LOG.warn("{}: reset {} live queries", reason, all.size());
        }
    }

    /** Rules of these tables changed: their live queries start over under the new rules. */
    void rulesChanged(Set<TableRef> tables, Map<String, ClientConnection> connections) {
        List<EdgeSubscription> affected = table.onTables(tables);
        for (EdgeSubscription sub : affected) {
            ClientConnection connection = connections.get(sub.id().connectionId());
            if (connection != null) {
                restart(connection, sub, "rules changed");
            }
        }
        if (!affected.isEmpty()) {
            LOG.info("rules changed for {}: reset {} live queries", tables, affected.size());
        }
    }

    /**
     * Registers again what no router acknowledged within a third of the registration timeout; after
     * the third registration goes unacknowledged too, tells the client so (never silence), so a
     * subscribe is answered within the timeout (plus the sweeper's period).
     */
    void checkRegistrations(Map<String, ClientConnection> connections) {
        long now = clock.millis();
        long attemptMs = settings.registrationTimeout().toMillis() / REGISTRATION_ATTEMPTS;
        for (EdgeSubscription sub : table.all()) {
            if (sub.state() != EdgeSubscription.State.REGISTERING || now - sub.registeringSince() < attemptMs) {
                continue;
            }
            ClientConnection connection = connections.get(sub.id().connectionId());
            if (connection == null) {
                continue;
            }
            if (sub.registrationAttempts() >= REGISTRATION_ATTEMPTS) {
                fail(
                        connection,
                        sub,
                        ErrorCode.INTERNAL,
                        "no router acknowledged the subscription within "
                                + settings.registrationTimeout().toSeconds()
                                + " s; retry shortly (if this persists, no router is running)");
            } else {
                restart(connection, sub, "registration retried");
            }
        }
    }
}
