package io.undercurrent.edge.internal;

import io.undercurrent.router.bus.BusCodec;
import io.undercurrent.router.bus.Delivery;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's delivery thread: reads this edge's delivery topic and hands each acknowledgement and
 * delta to its subscription. Deltas of one poll are flushed per subscription at the end of the poll,
 * so the changes of one transaction that arrived together go out in one frame.
 */
final class DeliveryDispatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final Supplier<KafkaConsumer<byte[], byte[]>> opener;
    private final SubscriptionTable subscriptions;
    private final BusCodec codec;
    private final Consumer<EdgeSubscription> startSnapshot;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean positioned;
    private volatile String lastError;

    DeliveryDispatcher(Supplier<KafkaConsumer<byte[], byte[]>> opener, SubscriptionTable subscriptions, BusCodec codec,
                       Consumer<EdgeSubscription> startSnapshot) {
        this.opener = opener;
        this.subscriptions = subscriptions;
        this.codec = codec;
        this.startSnapshot = startSnapshot;
    }

    /** Opens the consumer on the caller's thread, so the edge accepts clients only once it is positioned. */
    void open() {
        consumer = opener.get();
        positioned = true;
    }

    @Override
    public void run() {
        try {
            while (running) {
                pollOnce(Duration.ofMillis(500));
            }
        } catch (WakeupException e) {
            // stop() woke the consumer
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.error("edge delivery thread failed; live queries on this edge stop receiving changes", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void pollOnce(Duration timeout) {
        Set<EdgeSubscription> touched = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            Delivery delivery;
            try {
                delivery = codec.decode(record.value(), Delivery.class);
            } catch (IllegalArgumentException e) {
                LOG.error("skipping unreadable delivery at offset {}: {}", record.offset(), e.getMessage());
                continue;
            }
            if (delivery instanceof Delivery.Registered ack) {
                EdgeSubscription sub = subscriptions.get(ack.id());
                if (sub != null && sub.onRegistered(ack)) {
                    startSnapshot.accept(sub);
                }
            } else if (delivery instanceof Delivery.Changes changes) {
                for (Delivery.Target target : changes.targets()) {
                    EdgeSubscription sub = subscriptions.get(target.id());
                    if (sub != null) {
                        sub.onChanges(changes, target);
                        touched.add(sub);
                    }
                }
            }
        }
        touched.forEach(EdgeSubscription::flush);
    }

    String lastError() {
        return lastError;
    }

    boolean running() {
        return running && lastError == null;
    }

    /** Positioned on this edge's delivery topic and reading it. */
    boolean ready() {
        return positioned && running();
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
