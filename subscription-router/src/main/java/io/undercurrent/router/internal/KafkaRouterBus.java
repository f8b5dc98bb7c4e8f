package io.undercurrent.router.internal;

import io.undercurrent.bus.kafka.BusTopics;
import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.router.RouterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's Kafka: the subscriptions reader, the group member for changes, the delivery producer
 * (deliveries for an edge in this process go to it directly, {@link LocalHandOff}; changes ingest in
 * this process had acknowledged are read ahead of the consumer, {@link TappedChanges}).
 */
final class KafkaRouterBus implements RouterBus {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRouterBus.class);
    /** How long opening and catching up may block on the cluster (internal timing, not tuning). */
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    private static final Duration PARTITIONS_FOR = Duration.ofSeconds(5);
    private static final Duration CLOSE = Duration.ofSeconds(5);

    private final RouterSettings settings;
    private final RouterClients clients;
    private KafkaConsumer<byte[], byte[]> subscriptionsConsumer;
    private volatile KafkaConsumer<byte[], byte[]> changesConsumer;
    private KafkaProducer<byte[], byte[]> producer;
    private final SubscriptionLog subscriptions = new Subscriptions();
    private final ChangeLog changes;
    private final TappedChanges tapped;
    private final DeliveryLog deliveries = new Deliveries();
    private final LocalHandOff handOff;

    KafkaRouterBus(RouterSettings settings) {
        this(settings, LocalDeliveries.NONE, new AtomicLong(), null);
    }

    /**
     * @param local   the edge in this process, or {@link LocalDeliveries#NONE}
     * @param handed  counts the records handed to it
     * @param offered the changes ingest in this process had acknowledged, read ahead of the consumer; null
     *                to read changes through the consumer only
     */
    KafkaRouterBus(RouterSettings settings, LocalDeliveries local, AtomicLong handed, ChangeInbox offered) {
        this.settings = settings;
        this.clients = new RouterClients(settings);
        this.handOff = new LocalHandOff(local, (record, callback) -> producer.send(record, callback), handed);
        Changes consumed = new Changes();
        this.tapped = offered == null ? null : new TappedChanges(consumed, offered);
        this.changes = tapped == null ? consumed : tapped;
    }

    @Override
    public void open() {
        Duration sessionTimeout;
        try (Admin admin = clients.admin()) {
            BusTopics.ensureSubscriptions(admin, settings.topics().subscriptions(), settings.replicationFactor());
            sessionTimeout = GroupTimeouts.sessionTimeout(admin, settings.sessionTimeout(), settings.routerId());
        }
        subscriptionsConsumer = clients.subscriptionsConsumer();
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p :
                subscriptionsConsumer.partitionsFor(settings.topics().subscriptions(), CATCH_UP)) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        subscriptionsConsumer.assign(parts);
        subscriptionsConsumer.seekToBeginning(parts);
        producer = clients.producer();
        changesConsumer = clients.changesConsumer(sessionTimeout);
    }

    @Override
    public SubscriptionLog subscriptions() {
        return subscriptions;
    }

    @Override
    public ChangeLog changes() {
        return changes;
    }

    @Override
    public DeliveryLog deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        if (tapped != null) {
            tapped.close();
        }
        closeQuietly(changesConsumer);
        closeQuietly(subscriptionsConsumer);
        if (producer != null) {
            producer.close(CLOSE);
        }
        changesConsumer = null;
        subscriptionsConsumer = null;
        producer = null;
    }

    private static void closeQuietly(KafkaConsumer<byte[], byte[]> consumer) {
        if (consumer != null) {
            try {
                consumer.close(CLOSE);
            } catch (RuntimeException e) {
                LOG.debug("closing a consumer: {}", e.getMessage());
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> list(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        records.forEach(out::add);
        return out;
    }

    private final class Subscriptions implements SubscriptionLog {
        @Override
        public List<ConsumerRecord<byte[], byte[]>> readToEnd() {
            Map<TopicPartition, Long> end =
                    subscriptionsConsumer.endOffsets(subscriptionsConsumer.assignment(), CATCH_UP);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (!caughtUp(end)) {
                subscriptionsConsumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }

        private boolean caughtUp(Map<TopicPartition, Long> end) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (subscriptionsConsumer.position(e.getKey(), CATCH_UP) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> pollNow() {
            return list(subscriptionsConsumer.poll(Duration.ZERO));
        }
    }

    /**
     * The consumer's side. {@link #interruptPoll} wakes the consumer up, which Kafka raises in whichever
     * of its calls comes next: a call other than {@code poll} that meets such a wake-up is made again, so
     * only {@link #wakeup} (stopping) ever leaves this class as a {@link WakeupException}.
     */
    private final class Changes implements ChangeLog {
        private volatile boolean stopping;

        private <T> T repeatingInterrupted(Supplier<T> call) {
            while (true) {
                try {
                    return call.get();
                } catch (WakeupException e) {
                    if (stopping) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public void subscribe(Ownership ownership) {
            changesConsumer.subscribe(settings.topics().allChanges(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    ownership.revoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        // resolve where each starts before routing it
                        repeatingInterrupted(() -> changesConsumer.position(tp, CATCH_UP));
                    }
                    if (!partitions.isEmpty()) {
                        handOff.partitionsChanged();
                    }
                    ownership.assigned(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    ownership.lost(partitions);
                }
            });
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            try {
                return list(changesConsumer.poll(timeout));
            } catch (WakeupException e) {
                if (stopping) {
                    throw e;
                }
                return List.of(); // interrupted: the records stay buffered for the next poll
            }
        }

        @Override
        public long lag() {
            long sum = 0;
            for (TopicPartition tp : changesConsumer.assignment()) {
                java.util.OptionalLong lag = changesConsumer.currentLag(tp);
                if (lag.isEmpty()) {
                    return -1;
                }
                sum += lag.getAsLong();
            }
            return sum;
        }

        @Override
        public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            changesConsumer.commitAsync(offsets, (done, error) -> {
                if (error != null) {
                    LOG.debug(
                            "router '{}': offset commit failed ({}); those changes may be routed again",
                            settings.routerId(),
                            error.getMessage());
                }
            });
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            repeatingInterrupted(() -> {
                changesConsumer.commitSync(offsets);
                return null;
            });
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
            return repeatingInterrupted(() -> changesConsumer.committed(partitions));
        }

        @Override
        public void seek(TopicPartition partition, OffsetAndMetadata offset) {
            if (offset != null) {
                changesConsumer.seek(partition, offset);
            } else {
                changesConsumer.seekToBeginning(List.of(partition));
            }
        }

        @Override
        public long position(TopicPartition partition) {
            return repeatingInterrupted(() -> changesConsumer.position(partition, CATCH_UP));
        }

        @Override
        public int partitionCount(String topic) {
            List<PartitionInfo> infos =
                    repeatingInterrupted(() -> changesConsumer.partitionsFor(topic, PARTITIONS_FOR));
            return infos == null ? 0 : infos.size();
        }

        @Override
        public void wakeup() {
            stopping = true;
            interruptPoll();
        }

        @Override
        public void interruptPoll() {
            KafkaConsumer<byte[], byte[]> c = changesConsumer;
            if (c != null) {
                c.wakeup();
            }
        }
    }

    private final class Deliveries implements DeliveryLog {
        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            return producer.send(record, DeliveryStages.acknowledged(record));
        }

        @Override
        public List<Future<RecordMetadata>> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
            return handOff.sendAll(records);
        }

        @Override
        public void flush() {
            producer.flush();
        }
    }
}
