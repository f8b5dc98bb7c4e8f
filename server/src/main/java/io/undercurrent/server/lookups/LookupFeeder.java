package io.undercurrent.server.lookups;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.ChangeStamp;
import io.undercurrent.change.MalformedChangeException;
import io.undercurrent.change.Operation;
import io.undercurrent.change.Topics;
import io.undercurrent.change.Watermark;
import io.undercurrent.edge.LookupReads;
import io.undercurrent.router.LookupSync;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.LookupLimitException;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.server.roles.Service;
import io.undercurrent.source.ReadPoint;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the rules' {@link LookupStore} in a running server: for every table the rules look up, a
 * snapshot through the source-read seam, then its captured changes from the source's change topic
 * (every partition, outside any consumer group), so rules are judged from memory with no database read
 * per change.
 *
 * <p><b>Convergence.</b> Before a table's snapshot, the feeder's position on every partition of the
 * change topic is fixed: every change below it is in Kafka, so it committed before the snapshot and is
 * in its rows. From that position on, a change is applied unless the snapshot's {@link ReadPoint} says
 * it already holds it; changes of one row keep their order in one partition, so each row goes from its
 * snapshot state forward through its later changes, never back.
 *
 * <p><b>No leak.</b> A table is loading until its snapshot is stored; rules that consult a loading
 * table, or one over its memory bound, deny. Routers call {@link #awaitCurrent} before judging changes
 * whose rules look something up: it returns once the feeder applied every change Kafka held when it
 * was called. An edge's read calls {@link #settled}: it returns once the feeder has passed the read's
 * point on every partition of the source's change topic ({@link Passage}): it read a change after the
 * read there, or a {@link Watermark} that ingest wrote after it (exact, even while ingest lags: the
 * watermark comes behind every change the read saw). Only for sources that write no watermarks does a
 * partition read to its end count as passed after a grace period, which is not exact.
 *
 * <p>One thread (the feeder's) owns the Kafka consumer and writes the store; {@link #awaitCurrent} and
 * {@link #status()} are called from any thread.
 */
public final class LookupFeeder implements Service, LookupSync, LookupReads {

    private static final Logger LOG = LoggerFactory.getLogger(LookupFeeder.class);
    /** How long one poll waits for changes (internal timing: barriers wake it at once). */
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a call to the cluster may take before the step is tried again. */
    private static final Duration CALL = Duration.ofSeconds(10);
    /**
     * For a source that writes no watermarks: how long a partition with nothing after a read's point must
     * have been read to its end before the read counts as passed there (a change committed before the
     * read may still be on its way from ingest, so this is not exact; with traffic, a later change shows
     * the partition passed at once).
     */
    private static final long IDLE_GRACE_MS = 200;
    /** How long an edge's read waits for the lookups to pass its point. */
    private static final Duration PASS_WAIT = Duration.ofSeconds(5);
    /** Pause before a lost consumer, or a failed snapshot the first time, is tried again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** The longest pause between attempts to load a table that keeps failing (one not created yet). */
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final LookupStore store;
    private final Map<String, SourceReader> readers;
    private final Topics topics;
    private final Map<String, Object> consumerConfig;
    private final Consumer<Set<TableRef>> changed;
    private final Supplier<RuleSet> rules;
    private final LookupTouches touches = new LookupTouches();
    private final ChangeEventCodec codec = new ChangeEventCodec();
    private final Thread thread;
    private final ConcurrentLinkedQueue<Barrier> requested = new ConcurrentLinkedQueue<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong overLimit = new AtomicLong();

    // feeder thread only
    /** The tables being fed, with the point of their snapshot. */
    private final Map<TableRef, ReadPoint> fed = new HashMap<>();

    private final Map<TableRef, Long> retryAt = new HashMap<>();
    /** Per partition, the stamp of the last change read: whether the feeder passed a read's point there. */
    private final Map<TopicPartition, ChangeStamp> lastStamps = new HashMap<>();
    /** Per partition, the point of the last watermark read: every change before it there was read. */
    private final Map<TopicPartition, String> lastWatermarks = new HashMap<>();
    /** The change topics a watermark was read on since start: their sources write watermarks. */
    private final Set<String> watermarkedTopics = new HashSet<>();

    private final Map<TableRef, Long> retryPause = new HashMap<>();
    private final List<Barrier> waiting = new java.util.ArrayList<>();
    /** Written by the feeder's thread only; read by others to wake its poll. */
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private RuleSet boundFor;

    private volatile boolean running = true;
    private volatile boolean polling;
    private volatile String lastError;

    /**
     * @param readers        the source readers, by source name; a looked-up table of a source without one
     *                       stays loading (rules that look it up deny)
     * @param consumerConfig the Kafka consumer settings (bootstrap servers and pass-through properties)
     * @param changed        told, on the feeder's thread, which looked-up tables changed (became ready, or
     *                       had changes applied), so live queries judged by them can be judged again
     * @param rules          the rules in force: which key columns they give subscribers' claims
     */
    public LookupFeeder(
            LookupStore store,
            Map<String, SourceReader> readers,
            Topics topics,
            Map<String, Object> consumerConfig,
            Consumer<Set<TableRef>> changed,
            Supplier<RuleSet> rules) {
        this.rules = rules;
        this.store = store;
        this.readers = Map.copyOf(readers);
        this.topics = topics;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "undercurrent-lookups");
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.changed = changed;
        this.thread = new Thread(this::run, "undercurrent-lookups");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public long mark() {
        return touches.mark();
    }

    @Override
    public boolean settled(List<LookupBinding> bindings, Map<String, ?> auth, long mark, String source, ReadPoint point)
            throws InterruptedException {
        Barrier barrier = new Barrier(source, point);
        requested.add(barrier);
        wake();
        return barrier.await(PASS_WAIT) && !touches.changedSince(bindings, auth, mark);
    }

    @Override
    public boolean changedSince(List<LookupBinding> bindings, Map<String, ?> auth, long mark) {
        return touches.changedSince(bindings, auth, mark);
    }

    @Override
    public boolean changedAfter(List<LookupBinding> bindings, Map<String, ?> auth, String sourceOrder) {
        return touches.changedAfter(bindings, auth, sourceOrder);
    }

    @Override
    public boolean awaitCurrent(String source, Duration timeout) throws InterruptedException {
        Barrier barrier = new Barrier(source, null);
        requested.add(barrier);
        wake();
        return barrier.await(timeout);
    }

    private void wake() {
        if (polling) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                if (consumer == null) {
                    consumer = new KafkaConsumer<>(
                            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                }
                step();
                lastError = null;
            } catch (WakeupException e) {
                // a barrier woke the poll: serve it on the next step
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.error("lookup tables: reading the change topics failed; loading every looked-up table again", e);
                startOver();
                pause(RETRY);
            }
        }
        closeConsumer();
    }

    /** One step: follow the declared tables, load the new ones, apply a batch of changes, serve barriers. */
    private void step() {
        Set<TableRef> declared = store.tables();
        for (TableRef gone : Set.copyOf(fed.keySet())) {
            if (!declared.contains(gone)) {
                fed.remove(gone);
                touches.forget(gone);
            }
        }
        bindClaims();
        Set<TableRef> news = new HashSet<>();
        assign(declared);
        for (TableRef table : declared) {
            if (store.isLoading(table) && assignedSource(table.source()) && dueForRetry(table)) {
                if (load(table)) {
                    news.add(table);
                }
            }
        }
        if (!news.isEmpty()) {
            changed.accept(news);
        }
        for (Barrier b; (b = requested.poll()) != null; ) {
            target(b);
        }
        if (consumer.assignment().isEmpty()) {
            release();
            pause(POLL);
            return;
        }
        polling = true;
        List<ConsumerRecord<byte[], byte[]>> batch = new java.util.ArrayList<>();
        try {
            consumer.poll(POLL).forEach(batch::add);
        } catch (WakeupException e) {
            // A new barrier: it is targeted on the next step; the ones waiting are released below, so a
            // stream of barriers never keeps the feeder from making progress.
        } finally {
            polling = false;
        }
        Set<TableRef> touched = apply(batch);
        if (!touched.isEmpty()) {
            changed.accept(touched);
        }
        release();
    }

    /** Keeps the values of the key columns rules give claims, when the rules changed. */
    private void bindClaims() {
        RuleSet current = rules.get();
        if (current == boundFor) {
            return;
        }
        Map<TableRef, Set<String>> columns = new HashMap<>();
        for (TableRef table : current.tables()) {
            for (LookupBinding binding : current.lookupBindings(table)) {
                columns.computeIfAbsent(binding.table(), t -> new HashSet<>())
                        .addAll(binding.claims().keySet());
            }
        }
        // Channel rules too: an edge asks whom a change concerns to take removed members out of channels.
        for (LookupBinding binding : current.channelJoinBindings()) {
            columns.computeIfAbsent(binding.table(), t -> new HashSet<>())
                    .addAll(binding.claims().keySet());
        }
        touches.bind(columns);
        boundFor = current;
    }

    /** Reads the change topics of the sources that have looked-up tables, each new partition from its end. */
    private void assign(Set<TableRef> declared) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (TableRef table : declared) {
            if (!readers.containsKey(table.source())) {
                problems.put(
                        table.toString(),
                        "source " + table.source() + " has no reader here, so " + table
                                + " cannot be loaded for lookups; rules that look it up deny");
                continue;
            }
            String topic = topics.changes(table.source());
            var partitions = consumer.partitionsFor(topic, CALL);
            if (partitions == null || partitions.isEmpty()) {
                problems.put(table.toString(), "waiting for the change topic " + topic + " (ingest creates it)");
                continue;
            }
            partitions.forEach(p -> wanted.add(new TopicPartition(topic, p.partition())));
        }
        Set<TopicPartition> current = consumer.assignment();
        if (current.equals(wanted)) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(wanted);
        added.removeAll(current);
        consumer.assign(wanted);
        if (!added.isEmpty()) {
            consumer.seekToEnd(added);
        }
    }

    private boolean assignedSource(String source) {
        String topic = topics.changes(source);
        return consumer.assignment().stream().anyMatch(tp -> tp.topic().equals(topic));
    }

    private boolean dueForRetry(TableRef table) {
        Long at = retryAt.get(table);
        return at == null || System.currentTimeMillis() >= at;
    }

    /**
     * Loads one table: fixes the positions (every change below them is in the snapshot), reads the
     * snapshot into the store, and from then on applies the changes the snapshot did not see.
     *
     * @return whether the table is ready
     */
    private boolean load(TableRef table) {
        String topic = topics.changes(table.source());
        for (TopicPartition tp : consumer.assignment()) {
            if (tp.topic().equals(topic)) {
                consumer.position(tp, CALL); // resolves "the end" now, before the snapshot
            }
        }
        touches.loading(table);
        store.reload(table); // no rows from changes applied before this snapshot
        long start = System.nanoTime();
        try {
            ReadPoint point = LookupSnapshot.read(readers.get(table.source()), store, table);
            fed.put(table, point);
            store.ready(table);
            touches.loaded(table);
            retryAt.remove(table);
            retryPause.remove(table);
            problems.remove(table.toString());
            LOG.info(
                    "lookup table {} loaded: {} rows in {} ms; {} bytes held for lookups in all",
                    table,
                    store.rowCount(table),
                    (System.nanoTime() - start) / 1_000_000,
                    store.estimatedBytes());
            return true;
        } catch (LookupLimitException e) {
            overLimit.incrementAndGet();
            problems.put(table.toString(), e.getMessage());
            LOG.error("{}", e.getMessage());
        } catch (SourceReadException | RuntimeException e) {
            // Still loading, so rules that look it up deny. A table not created yet fails every time: the
            // pause doubles, and the same failure is logged once.
            long pause = Math.min(retryPause.getOrDefault(table, RETRY.toMillis() / 2) * 2, RETRY_MAX.toMillis());
            retryPause.put(table, pause);
            retryAt.put(table, System.currentTimeMillis() + pause);
            String problem = "loading failed (rules that look it up deny): " + e.getMessage();
            if (!problem.equals(problems.put(table.toString(), problem))) {
                LOG.warn(
                        "lookup table {}: loading failed ({}); trying again, at most every {} s",
                        table,
                        e.getMessage(),
                        RETRY_MAX.toSeconds());
            } else {
                LOG.debug("lookup table {}: loading failed again ({})", table, e.getMessage());
            }
        }
        return false;
    }

    /** Applies the changes of fed tables that their snapshot did not hold; returns the tables touched. */
    private Set<TableRef> apply(List<ConsumerRecord<byte[], byte[]>> batch) {
        Set<TableRef> touched = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (record.headers().lastHeader(Watermark.HEADER) != null) {
                watermark(record);
                continue;
            }
            ChangeEvent change;
            try {
                change = codec.decode(record.value());
            } catch (MalformedChangeException e) {
                malformed.incrementAndGet();
                continue;
            }
            lastStamps.put(new TopicPartition(record.topic(), record.partition()), change.stamp());
            floors(change);
            TableRef table = new TableRef(change.source(), change.table());
            ReadPoint point = fed.get(table);
            if (point == null || point.sees(change.stamp())) {
                continue;
            }
            try {
                Map<String, ?> before = store.row(table, change.key());
                touches.touching(table, change.sourceOrder(), before, change.after());
                if (change.op() == Operation.DELETE) {
                    store.delete(table, change.key());
                } else if (change.after() == null || !change.unavailable().isEmpty()) {
                    // An update without every new value (PostgreSQL TOAST without a full old image): the
                    // row cannot be completed from the change, so the table is read again.
                    LOG.info("lookup table {}: a change lacks column values; loading the table again", table);
                    fed.remove(table);
                    store.reload(table);
                } else {
                    store.upsert(table, change.key(), change.after());
                }
                touches.touched(table, before, change.after());
                applied.incrementAndGet();
                touched.add(table);
            } catch (LookupLimitException e) {
                overLimit.incrementAndGet();
                fed.remove(table);
                problems.put(table.toString(), e.getMessage());
                LOG.error("{}", e.getMessage());
                touched.add(table);
            }
        }
        return touched;
    }

    /** Keeps the watermark's point: the feeder has read every change of the partition committed before it. */
    private void watermark(ConsumerRecord<byte[], byte[]> record) {
        Watermark watermark;
        try {
            watermark = codec.decodeWatermark(record.value());
        } catch (MalformedChangeException e) {
            malformed.incrementAndGet();
            return;
        }
        lastWatermarks.put(new TopicPartition(record.topic(), record.partition()), watermark.point());
        watermarkedTopics.add(record.topic());
    }

    /** The first change of the source after a table's snapshot: from it on, judging with that table is exact. */
    private void floors(ChangeEvent change) {
        if (change.sourceOrder() == null) {
            return;
        }
        fed.forEach((table, point) -> {
            if (table.source().equals(change.source()) && touches.awaitsFloor(table) && !point.sees(change.stamp())) {
                touches.floor(table, change.sourceOrder());
            }
        });
    }

    /** Fixes what a barrier waits for: the end of every partition of its source's change topic, now. */
    private void target(Barrier barrier) {
        String topic = topics.changes(barrier.source);
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (tp.topic().equals(topic)) {
                partitions.add(tp);
            }
        }
        if (partitions.isEmpty()) {
            barrier.done(); // nothing of this source is looked up here: nothing to wait for
            return;
        }
        try {
            barrier.ends = consumer.endOffsets(partitions, CALL);
        } catch (RuntimeException e) {
            requested.add(barrier); // asked again on the next step
            throw e;
        }
        waiting.add(barrier);
    }

    /** Releases the barriers whose targets the feeder reached. */
    private void release() {
        waiting.removeIf(b -> {
            if (b.abandoned()) {
                return true;
            }
            long age = System.currentTimeMillis() - b.requestedAt;
            for (Map.Entry<TopicPartition, Long> end : b.ends.entrySet()) {
                if (!consumer.assignment().contains(end.getKey())) {
                    continue;
                }
                if (b.point != null) {
                    Passage passage = Passage.of(
                            b.point,
                            lastStamps.get(end.getKey()),
                            lastWatermarks.get(end.getKey()),
                            watermarked(end.getKey().topic()));
                    if (passage == Passage.PASSED) {
                        continue;
                    }
                    if (passage == Passage.WAIT || age < IDLE_GRACE_MS) {
                        return false;
                    }
                }
                if (consumer.position(end.getKey(), CALL) < end.getValue()) {
                    return false;
                }
            }
            b.done();
            return true;
        });
    }

    /**
     * Whether the source writes watermarks: one was read on its topic since this feeder started. From
     * then on reads wait for a watermark after them, however long ingest lags or stalls (a read that
     * waits too long is refused and subscribed again), rather than be judged against old lookups.
     */
    private boolean watermarked(String topic) {
        return watermarkedTopics.contains(topic);
    }

    /** After the consumer failed: every table is loaded again from a fresh snapshot. */
    private void startOver() {
        closeConsumer();
        for (TableRef table : fed.keySet()) {
            store.reload(table);
        }
        fed.clear();
        waiting.clear();
        lastWatermarks.clear();
    }

    private void closeConsumer() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the lookup consumer: {}", e.getMessage());
            }
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Changes of looked-up tables applied to the store since start. */
    public long changesApplied() {
        return applied.get();
    }

    /** Times a looked-up table went over its memory bound (its rules deny until it is loaded again). */
    public long overLimit() {
        return overLimit.get();
    }

    /** Looked-up tables that do not answer now (loading, or over their bound): rules consulting them deny. */
    public int unavailableTables() {
        return (int) store.tables().stream().filter(t -> !store.isReady(t)).count();
    }

    /** The estimated bytes the looked-up tables hold. */
    public long estimatedBytes() {
        return store.estimatedBytes();
    }

    @Override
    public String name() {
        return "lookups";
    }

    /** Healthy while its thread reads; a table over its bound or not yet loadable is reported in the status. */
    @Override
    public boolean healthy() {
        return lastError == null;
    }

    @Override
    public Object status() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> tables = new LinkedHashMap<>();
        for (TableRef table : store.tables()) {
            String failure = store.failure(table);
            tables.put(
                    table.toString(),
                    store.isReady(table)
                            ? "ready, " + store.rowCount(table) + " rows"
                            : failure != null ? "over limit" : "loading");
        }
        s.put("tables", tables);
        s.put("estimatedBytes", store.estimatedBytes());
        s.put("changesApplied", applied.get());
        if (overLimit.get() > 0) {
            s.put("overLimit", overLimit.get());
        }
        if (malformed.get() > 0) {
            s.put("malformedChanges", malformed.get());
        }
        if (!problems.isEmpty()) {
            s.put("problems", new LinkedHashMap<>(problems));
        }
        if (lastError != null) {
            s.put("lastError", lastError);
        }
        return s;
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A router waiting for the lookup tables of one source to hold what Kafka holds. */
    private static final class Barrier {
        final String source;
        /** For an edge's read: the read's point, which the feeder must pass; null for a router's barrier. */
        final ReadPoint point;

        final long requestedAt = System.currentTimeMillis();
        final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        volatile boolean gaveUp;
        Map<TopicPartition, Long> ends = Map.of();

        Barrier(String source, ReadPoint point) {
            this.source = source;
            this.point = point;
        }

        boolean await(Duration timeout) throws InterruptedException {
            boolean done = latch.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            gaveUp = !done;
            return done;
        }

        void done() {
            latch.countDown();
        }

        boolean abandoned() {
            return gaveUp;
        }
    }
}
