package io.undercurrent.router.internal;

import io.undercurrent.bus.Backoff;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Sleeper;
import io.undercurrent.bus.kafka.BusFailure;
import io.undercurrent.bus.kafka.KafkaFailures;
import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.router.LookupSync;
import io.undercurrent.router.RouterHealth;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one thread. Each turn ({@link #runOnce()}): apply new subscriptions (and acknowledge
 * them), read a batch of changes, write their deliveries, and commit the change offsets only once
 * Kafka acknowledged every delivery before them. A crash at any point therefore replays changes
 * rather than losing them; edges drop the replayed ones by change offset.
 *
 * <p>{@link #run()} drives the turns: it opens the router's Kafka ({@link RouterBus}), steps, and on a
 * failure classifies it ({@link KafkaFailures}), reports it in {@link #health()}, closes the clients,
 * backs off and opens them again. Turns never sleep and never open clients, so a test steps the loop
 * with in-memory fakes.
 */
public final class RouterLoop implements Runnable {

    /** What a turn did. */
    enum Turn {
        /** Changes were read and their deliveries sent. */
        ROUTED,
        /** Nothing to read. */
        IDLE,
        /** Kafka refused a delivery: the loop went back to the last acknowledged offsets and should back off. */
        REWOUND
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouterLoop.class);
    /** How often silent edges are looked for (internal timing, not tuning). */
    private static final long EXPIRY_PERIOD_MS = 1_000;
    /** How long acknowledgements sent outside a turn (on assignment) are waited for. */
    private static final long ACK_WAIT_S = 30;
    /**
     * How long a turn waits for the lookup tables to catch up before it reads its batch again later
     * (internal timing: long enough for a lookup feeder's round trip, short enough to keep heartbeats).
     */
    private static final Duration LOOKUP_WAIT = Duration.ofSeconds(2);

    private final RouterSettings settings;
    private final Supplier<RuleSet> rules;
    private final Clock clock;
    private final Supplier<RouterBus> opener;
    private final Sleeper sleeper;
    private final LookupSync lookupSync;
    private final BusCodec codec = new BusCodec();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final SubscriptionApplier applier;
    private final ChangeRouter changeRouter;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final InFlight inFlight = new InFlight();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong handedLocally;
    /** Changes ingest in this process offers, or null. */
    private final ChangeInbox offered;

    private volatile boolean running = true;
    private volatile boolean up;
    /** The group gave this router its share of the change partitions, and it read every subscription before routing them. */
    private volatile boolean assigned;

    private volatile String lastError;
    private volatile boolean needsAction;
    private volatile int subscriptionCount;
    private volatile int ownedCount;
    private volatile long changeLag = -1;
    private volatile RouterBus bus;
    private RuleSet rulesInUse;
    private long lastExpiry;

    /** A router on Kafka. */
    public RouterLoop(RouterSettings settings, Supplier<RuleSet> rules, Clock clock, Sleeper sleeper) {
        this(settings, rules, clock, sleeper, LookupSync.NONE);
    }

    /** A router on Kafka whose rules' lookup tables are kept current by {@code lookupSync}'s owner. */
    public RouterLoop(
            RouterSettings settings, Supplier<RuleSet> rules, Clock clock, Sleeper sleeper, LookupSync lookupSync) {
        this(settings, rules, clock, sleeper, lookupSync, LocalDeliveries.NONE);
    }

    /**
     * A router on Kafka that hands the deliveries for the edge in its process straight to it.
     *
     * @param local the edge in this process, or {@link LocalDeliveries#NONE} to send everything through Kafka
     */
    public RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Sleeper sleeper,
            LookupSync lookupSync,
            LocalDeliveries local) {
        this(settings, rules, clock, sleeper, lookupSync, local, null);
    }

    /**
     * A router on Kafka that hands the deliveries for the edge in its process straight to it, and routes
     * the changes ingest in its process had acknowledged without waiting for its consumer to read them.
     *
     * @param local   the edge in this process, or {@link LocalDeliveries#NONE} to send everything through Kafka
     * @param offered what ingest in this process offers ({@link TappedChanges}), or null to read changes
     *                through the consumer only
     */
    public RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Sleeper sleeper,
            LookupSync lookupSync,
            LocalDeliveries local,
            ChangeInbox offered) {
        this(settings, rules, clock, sleeper, lookupSync, local, offered, new AtomicLong());
    }

    private RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Sleeper sleeper,
            LookupSync lookupSync,
            LocalDeliveries local,
            ChangeInbox offered,
            AtomicLong handedLocally) {
        this(
                settings,
                rules,
                clock,
                () -> new KafkaRouterBus(settings, local, handedLocally, offered),
                sleeper,
                lookupSync,
                handedLocally,
                offered);
    }

    /** @param opener makes the router's Kafka for each attempt (the loop opens and closes it) */
    RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Supplier<RouterBus> opener,
            Sleeper sleeper) {
        this(settings, rules, clock, opener, sleeper, LookupSync.NONE);
    }

    /**
     * @param opener     makes the router's Kafka for each attempt (the loop opens and closes it)
     * @param lookupSync waited on before judging changes whose rules look something up
     */
    RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Supplier<RouterBus> opener,
            Sleeper sleeper,
            LookupSync lookupSync) {
        this(settings, rules, clock, opener, sleeper, lookupSync, new AtomicLong(), null);
    }

    private RouterLoop(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            Supplier<RouterBus> opener,
            Sleeper sleeper,
            LookupSync lookupSync,
            AtomicLong handedLocally,
            ChangeInbox offered) {
        this.handedLocally = handedLocally;
        this.offered = offered;
        this.settings = settings;
        this.lookupSync = lookupSync;
        this.rules = rules;
        this.clock = clock;
        this.opener = opener;
        this.sleeper = sleeper;
        this.applier = new SubscriptionApplier(
                index, new QueryCompiler(), codec, settings.edgeTtl().toMillis());
        this.changeRouter = new ChangeRouter(index, settings.topics(), codec, lookupSync);
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(settings.retryBackoff(), settings.retryBackoffMax());
        while (running) {
            try {
                open();
                up = true;
                lastError = null;
                needsAction = false;
                while (running) {
                    if (runOnce() == Turn.REWOUND) {
                        sleeper.sleep(backoff.next());
                    } else {
                        backoff.reset();
                    }
                }
            } catch (WakeupException e) {
                // stop() woke the consumer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                BusFailure failure = KafkaFailures.classify(e);
                lastError = failure.getMessage();
                needsAction = !failure.retriable();
                Duration pause = failure.retriable() ? backoff.next() : backoff.max();
                LOG.error(
                        "router '{}' failed{}; restarting from the last committed change in {} ms",
                        settings.routerId(),
                        failure.retriable() ? "" : " and needs action",
                        pause.toMillis(),
                        e);
                closeClients();
                pause(pause);
            } finally {
                up = false;
                closeClients();
            }
        }
    }

    /** Opens the router's Kafka, reads every subscription, and joins the routers' group. */
    void open() {
        assigned = false;
        RouterBus opened = opener.get();
        bus = opened;
        opened.open();
        applier.reset();
        catchUpSubscriptions();
        opened.changes().subscribe(new Rebalance());
        LOG.info("router '{}' loaded {} subscriptions", settings.routerId(), index.size());
    }

    /** One turn of the loop; never sleeps, so a test steps the router with it. */
    Turn runOnce() {
        long now = clock.millis();
        RuleSet current = rules.get();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : bus.subscriptions().pollNow()) {
            ActiveSubscription added = applier.apply(record, now);
            if (added != null) {
                out.add(acknowledgement(added, current));
            }
        }
        reacknowledgeIfRulesChanged(current, out);
        List<ConsumerRecord<byte[], byte[]>> batch = bus.changes().poll(settings.pollTimeout());
        changeLag = bus.changes().lag();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<ChangeEvent> changes = new ArrayList<>(batch.size());
        int watermarks = 0;
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (ChangeRouter.isWatermark(record)) {
                watermarks++; // ingest's watermarks: no change to judge, only an offset to commit
                changes.add(null);
            } else {
                changes.add(changeRouter.decode(record));
            }
        }
        boolean judged = lookupsCurrent(changes, current);
        if (judged) {
            for (int i = 0; i < batch.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = batch.get(i);
                if (changes.get(i) != null) {
                    changeRouter.route(record, changes.get(i), current, now, out);
                }
                offsets.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
        }
        try {
            inFlight.add(offsets, sendAll(out));
            if (inFlight.size() > settings.maxBatchesInFlight()) {
                bus.deliveries().flush(); // bounded: read no further ahead of what Kafka has acknowledged
            }
            Map<TopicPartition, OffsetAndMetadata> committable = inFlight.completed();
            if (!committable.isEmpty()) {
                // In the background: a commit lost in a crash only replays changes, which edges drop by offset.
                bus.changes().commitAsync(committable);
            }
            routed.addAndGet(judged ? batch.size() - watermarks : 0);
        } catch (InFlight.Failed | KafkaException e) {
            lastError = "Kafka did not take deliveries: " + e.getMessage();
            LOG.warn("router '{}': {}; reading those changes again", settings.routerId(), lastError);
            inFlight.clear();
            rewind();
            return Turn.REWOUND;
        }
        if (now - lastExpiry > EXPIRY_PERIOD_MS) {
            applier.expireSilentEdges(now);
            lastExpiry = now;
        }
        subscriptionCount = index.size();
        if (!judged) {
            readAgain(batch);
            return Turn.REWOUND;
        }
        return batch.isEmpty() ? Turn.IDLE : Turn.ROUTED;
    }

    /**
     * Waits, when a change of the batch is judged by a rule that looks something up, until the
     * looked-up tables hold every change Kafka held: so a change is never judged against lookup rows
     * older than changes already captured before it (rules-engine/README.md, "Lookups").
     *
     * @return false when they did not catch up in time: the batch is read again after a pause
     */
    private boolean lookupsCurrent(List<ChangeEvent> changes, RuleSet current) {
        Set<String> sources = new HashSet<>();
        for (ChangeEvent change : changes) {
            if (change != null) {
                current.lookedUpBy(new TableRef(change.source(), change.table()))
                        .forEach(t -> sources.add(t.source()));
            }
        }
        for (String source : sources) {
            boolean caughtUp;
            try {
                caughtUp = lookupSync.awaitCurrent(source, LOOKUP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                caughtUp = false;
            }
            if (!caughtUp) {
                lastError = "the lookup tables of source " + source + " did not catch up within "
                        + LOOKUP_WAIT.toMillis() + " ms; changes whose rules look them up wait";
                LOG.warn("router '{}': {}", settings.routerId(), lastError);
                return false;
            }
        }
        return true;
    }

    /** Reads the batch's changes again from its first offset per partition (none of it was judged). */
    private void readAgain(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach((tp, offset) -> bus.changes().seek(tp, new OffsetAndMetadata(offset)));
    }

    /** Changes read and found unreadable, skipped with their offsets committed. */
    long malformedChanges() {
        return changeRouter.malformed();
    }

    private ProducerRecord<byte[], byte[]> acknowledgement(ActiveSubscription sub, RuleSet current) {
        String topic = settings.topics().changes(sub.table().source());
        List<Integer> partitions = new ArrayList<>();
        // The subscription is in the index before the next poll, so every change from the current
        // position on is judged with it: a resume replays only what lies below.
        Map<Integer, Long> from = new HashMap<>();
        for (TopicPartition tp : owned) {
            if (tp.topic().equals(topic)) {
                partitions.add(tp.partition());
                from.put(tp.partition(), bus.changes().position(tp));
            }
        }
        partitions.sort(null);
        int count = bus.changes().partitionCount(topic);
        return new ProducerRecord<>(
                settings.topics().edge(sub.id().edgeId()),
                null,
                codec.encode(
                        SubscriptionApplier.registered(sub, settings.routerId(), current, partitions, count, from)));
    }
    /**
     * When the rules change, every subscription on a changed table is acknowledged again with the new
     * rules version: edges re-snapshot and then drop deltas judged by the old rules.
     */
    private void reacknowledgeIfRulesChanged(RuleSet current, List<ProducerRecord<byte[], byte[]>> out) {
        RuleSet previous = rulesInUse;
        rulesInUse = current;
        if (previous == null || previous == current) {
            return;
        }
        Set<TableRef> changed = new HashSet<>();
        for (ActiveSubscription sub : index.all()) {
            TableRef table = sub.table();
            if (changed.contains(table) || !previous.version(table).equals(current.version(table))) {
                changed.add(table);
                out.add(acknowledgement(sub, current));
            }
        }
        if (!changed.isEmpty()) {
            LOG.info("rules changed for {}; re-acknowledged their subscriptions", changed);
        }
    }

    private List<Future<RecordMetadata>> sendAll(List<ProducerRecord<byte[], byte[]>> out) {
        List<Future<RecordMetadata>> sent = bus.deliveries().sendAll(out);
        delivered.addAndGet(out.size());
        return sent;
    }

    /** Sends acknowledgements and waits for them (used outside the routing turn, on rebalance). */
    private void sendAndWait(List<ProducerRecord<byte[], byte[]>> out) {
        try {
            for (Future<RecordMetadata> f : sendAll(out)) {
                f.get(ACK_WAIT_S, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn(
                    "router '{}': acknowledgements not sent ({}); waiting edges will register again",
                    settings.routerId(),
                    e.getMessage());
        }
    }

    /** Goes back to the last acknowledged change offsets, so nothing unsent is skipped. */
    private void rewind() {
        Map<TopicPartition, OffsetAndMetadata> committed = bus.changes().committed(owned);
        for (TopicPartition tp : owned) {
            OffsetAndMetadata offset =
                    inFlight.acknowledged(tp) != null ? inFlight.acknowledged(tp) : committed.get(tp);
            bus.changes().seek(tp, offset);
        }
    }

    private void catchUpSubscriptions() {
        long now = clock.millis();
        for (ConsumerRecord<byte[], byte[]> record : bus.subscriptions().readToEnd()) {
            applier.apply(record, now);
        }
        applier.expireSilentEdges(now);
    }

    /** Keeps ownership current; a newly owned partition is routed only once all subscriptions are loaded. */
    private final class Rebalance implements ChangeLog.Ownership {
        @Override
        public void revoked(Collection<TopicPartition> partitions) {
            // Hand over only what Kafka holds: wait for the deliveries in flight, then commit.
            try {
                bus.deliveries().flush();
                Map<TopicPartition, OffsetAndMetadata> committable = inFlight.completed();
                if (!committable.isEmpty()) {
                    bus.changes().commitSync(committable);
                }
            } catch (InFlight.Failed | KafkaException e) {
                LOG.warn(
                        "router '{}': handing over {} with deliveries unacknowledged ({}); the next owner routes them again",
                        settings.routerId(),
                        partitions,
                        e.getMessage());
                inFlight.clear();
            }
            inFlight.forget(partitions);
            owned.removeAll(partitions);
            ownedCount = owned.size();
        }

        @Override
        public void assigned(Collection<TopicPartition> partitions) {
            catchUpSubscriptions();
            owned.addAll(partitions);
            ownedCount = owned.size();
            LOG.info("router '{}' now routes {}", settings.routerId(), owned);
            // Edges still waiting for acknowledgements must learn about the new owner.
            RuleSet current = rules.get();
            long now = clock.millis();
            List<ProducerRecord<byte[], byte[]>> acks = new ArrayList<>();
            for (ActiveSubscription sub : index.all()) {
                if (now - sub.record().createdAt() < SubscriptionApplier.ACK_WINDOW_MS) {
                    acks.add(acknowledgement(sub, current));
                }
            }
            sendAndWait(acks);
            assigned = true;
        }

        /**
         * The group took the partitions away without a handover (this router was taken for dead):
         * another router routes them from the last committed offset, so nothing is committed here.
         */
        @Override
        public void lost(Collection<TopicPartition> partitions) {
            assigned = false;
            LOG.warn(
                    "router '{}' lost {} without a handover (missed heartbeats?); it rejoins the group",
                    settings.routerId(),
                    partitions);
            inFlight.clear();
            inFlight.forget(partitions);
            owned.removeAll(partitions);
            ownedCount = owned.size();
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public RouterHealth health() {
        return new RouterHealth(
                up,
                up && assigned,
                ownedCount,
                lastError,
                subscriptionCount,
                routed.get(),
                delivered.get(),
                needsAction,
                changeRouter.malformed(),
                changeLag,
                handedLocally.get(),
                offered == null ? 0 : offered.used());
    }

    public void stop() {
        running = false;
        RouterBus b = bus;
        if (b != null) {
            b.changes().wakeup();
        }
    }

    private void closeClients() {
        assigned = false;
        ownedCount = 0;
        changeLag = -1;
        RouterBus b = bus;
        if (b != null) {
            try {
                b.close();
            } catch (RuntimeException e) {
                LOG.debug("router '{}': closing its Kafka clients: {}", settings.routerId(), e.getMessage());
            }
        }
        owned.clear();
        inFlight.clear();
    }
}
