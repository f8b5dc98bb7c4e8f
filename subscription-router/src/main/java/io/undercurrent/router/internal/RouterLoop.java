package io.undercurrent.router.internal;

import io.undercurrent.router.RouterHealth;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.router.bus.BusCodec;
import io.undercurrent.router.bus.BusTopics;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one thread. Each turn: apply new subscriptions (and acknowledge them), read a batch
 * of changes, write their deliveries, wait for Kafka to acknowledge them, and only then commit the
 * change offsets. A crash at any point therefore replays changes rather than losing them; edges
 * drop the replayed ones by change offset.
 */
public final class RouterLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterLoop.class);

    private final RouterSettings settings;
    private final Supplier<RuleSet> rules;
    private final Clock clock;
    private final RouterClients clients;
    private final BusCodec codec = new BusCodec();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final SubscriptionApplier applier;
    private final ChangeRouter changeRouter;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final InFlight inFlight = new InFlight();
    /** Batches of deliveries the loop may have unacknowledged before it waits for Kafka. */
    private static final int MAX_BATCHES_IN_FLIGHT = 8;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean up;
    /** The group gave this router its share of the change partitions, and it read every subscription before routing them. */
    private volatile boolean assigned;
    private volatile String lastError;
    private volatile int subscriptionCount;
    private volatile int ownedCount;
    private volatile KafkaConsumer<byte[], byte[]> changes;
    private KafkaConsumer<byte[], byte[]> subscriptions;
    private KafkaProducer<byte[], byte[]> producer;
    private RuleSet rulesInUse;
    private long lastExpiry;

    public RouterLoop(RouterSettings settings, Supplier<RuleSet> rules, Clock clock) {
        this.settings = settings;
        this.rules = rules;
        this.clock = clock;
        this.clients = new RouterClients(settings);
        this.applier = new SubscriptionApplier(index, new QueryCompiler(), codec, settings.edgeTtl().toMillis());
        this.changeRouter = new ChangeRouter(index, settings.topics(), codec);
    }

    @Override
    public void run() {
        while (running) {
            try {
                open();
                up = true;
                lastError = null;
                while (running) {
                    runOnce();
                }
            } catch (WakeupException e) {
                // stop() woke the consumer
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                LOG.error("router '{}' failed; restarting from the last committed change in {} ms", settings.routerId(),
                        settings.retryBackoff().toMillis(), e);
                pause(settings.retryBackoff());
            } finally {
                up = false;
                closeClients();
            }
        }
    }

    private void open() {
        assigned = false;
        Duration sessionTimeout;
        try (Admin admin = clients.admin()) {
            BusTopics.ensureSubscriptions(admin, settings.topics().subscriptions(), settings.replicationFactor());
            sessionTimeout = GroupTimeouts.sessionTimeout(admin, settings.sessionTimeout(), settings.routerId());
        }
        subscriptions = clients.subscriptionsConsumer();
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : subscriptions.partitionsFor(settings.topics().subscriptions(), Duration.ofSeconds(15))) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        subscriptions.assign(parts);
        subscriptions.seekToBeginning(parts);
        applier.reset();
        catchUpSubscriptions();
        producer = clients.producer();
        changes = clients.changesConsumer(sessionTimeout);
        changes.subscribe(settings.topics().allChanges(), new Rebalance());
        LOG.info("router '{}' loaded {} subscriptions", settings.routerId(), index.size());
    }

    /** One turn of the loop; a test can step the router with it. */
    void runOnce() {
        long now = clock.millis();
        RuleSet current = rules.get();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : subscriptions.poll(Duration.ZERO)) {
            ActiveSubscription added = applier.apply(record, now);
            if (added != null) {
                out.add(acknowledgement(added, current));
            }
        }
        reacknowledgeIfRulesChanged(current, out);
        ConsumerRecords<byte[], byte[]> batch = changes.poll(settings.pollTimeout());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            changeRouter.route(record, current, now, out);
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        try {
            inFlight.add(offsets, sendAll(out));
            if (inFlight.size() > MAX_BATCHES_IN_FLIGHT) {
                producer.flush(); // bounded: read no further ahead of what Kafka has acknowledged
            }
            Map<TopicPartition, OffsetAndMetadata> committable = inFlight.completed();
            if (!committable.isEmpty()) {
                commit(committable);
            }
            routed.addAndGet(batch.count());
        } catch (InFlight.Failed | KafkaException e) {
            lastError = "Kafka did not take deliveries: " + e.getMessage();
            LOG.warn("router '{}': {}; reading those changes again", settings.routerId(), lastError);
            inFlight.clear();
            rewind();
            pause(settings.retryBackoff());
            return;
        }
        if (now - lastExpiry > 1_000) {
            applier.expireSilentEdges(now);
            lastExpiry = now;
        }
        subscriptionCount = index.size();
    }

    private ProducerRecord<byte[], byte[]> acknowledgement(ActiveSubscription sub, RuleSet current) {
        String topic = settings.topics().changes(sub.table().source());
        List<Integer> partitions = new ArrayList<>();
        for (TopicPartition tp : owned) {
            if (tp.topic().equals(topic)) {
                partitions.add(tp.partition());
            }
        }
        int count = partitionCount(topic);
        return new ProducerRecord<>(settings.topics().edge(sub.id().edgeId()), null,
                codec.encode(SubscriptionApplier.registered(sub, settings.routerId(), current, partitions, count)));
    }

    private int partitionCount(String topic) {
        List<PartitionInfo> infos = changes.partitionsFor(topic, Duration.ofSeconds(5));
        return infos == null ? 0 : infos.size();
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
        List<Future<RecordMetadata>> sent = new ArrayList<>(out.size());
        for (ProducerRecord<byte[], byte[]> record : out) {
            sent.add(producer.send(record));
        }
        delivered.addAndGet(out.size());
        return sent;
    }

    /**
     * Commits acknowledged offsets in the background: a commit lost in a crash only replays changes,
     * which edges drop by change offset.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        changes.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.debug("router '{}': offset commit failed ({}); those changes may be routed again", settings.routerId(),
                        error.getMessage());
            }
        });
    }

    /** Sends acknowledgements and waits for them (used outside the routing turn, on rebalance). */
    private void sendAndWait(List<ProducerRecord<byte[], byte[]>> out) {
        try {
            for (Future<RecordMetadata> f : sendAll(out)) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("router '{}': acknowledgements not sent ({}); waiting edges will register again", settings.routerId(),
                    e.getMessage());
        }
    }

    /** Goes back to the last acknowledged change offsets, so nothing unsent is skipped. */
    private void rewind() {
        Map<TopicPartition, OffsetAndMetadata> committed = changes.committed(owned);
        for (TopicPartition tp : owned) {
            OffsetAndMetadata offset = inFlight.acknowledged(tp) != null ? inFlight.acknowledged(tp) : committed.get(tp);
            if (offset != null) {
                changes.seek(tp, offset);
            } else {
                changes.seekToBeginning(List.of(tp));
            }
        }
    }

    private void catchUpSubscriptions() {
        Map<TopicPartition, Long> end = subscriptions.endOffsets(subscriptions.assignment(), Duration.ofSeconds(15));
        long now = clock.millis();
        while (!caughtUp(end)) {
            for (ConsumerRecord<byte[], byte[]> record : subscriptions.poll(Duration.ofMillis(100))) {
                applier.apply(record, now);
            }
        }
        applier.expireSilentEdges(now);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (subscriptions.position(e.getKey(), Duration.ofSeconds(15)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Keeps ownership current; a newly owned partition is routed only once all subscriptions are loaded. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Hand over only what Kafka holds: wait for the deliveries in flight, then commit.
            try {
                producer.flush();
                Map<TopicPartition, OffsetAndMetadata> committable = inFlight.completed();
                if (!committable.isEmpty()) {
                    changes.commitSync(committable);
                }
            } catch (InFlight.Failed | KafkaException e) {
                LOG.warn("router '{}': handing over {} with deliveries unacknowledged ({}); the next owner routes them again",
                        settings.routerId(), partitions, e.getMessage());
                inFlight.clear();
            }
            inFlight.forget(partitions);
            owned.removeAll(partitions);
            ownedCount = owned.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            catchUpSubscriptions();
            for (TopicPartition tp : partitions) {
                changes.position(tp, Duration.ofSeconds(15));
            }
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
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            assigned = false;
            LOG.warn("router '{}' lost {} without a handover (missed heartbeats?); it rejoins the group", settings.routerId(), partitions);
            inFlight.clear();
            inFlight.forget(partitions);
            owned.removeAll(partitions);
            ownedCount = owned.size();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public RouterHealth health() {
        return new RouterHealth(up, up && assigned, ownedCount, lastError, subscriptionCount, routed.get(), delivered.get());
    }

    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = changes;
        if (c != null) {
            c.wakeup();
        }
    }

    private void closeClients() {
        assigned = false;
        ownedCount = 0;
        closeQuietly(changes);
        closeQuietly(subscriptions);
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        changes = null;
        subscriptions = null;
        producer = null;
        owned.clear();
        inFlight.clear();
    }

    private static void closeQuietly(KafkaConsumer<byte[], byte[]> consumer) {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing a consumer: {}", e.getMessage());
            }
        }
    }
}
