package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deliveries a router in this process hands over directly: dispatched on the delivery thread, in their
 * place among what other routers wrote to the edge's topic (fences), bounded, dropped while the edge
 * does not read.
 */
@Timeout(20)
class LocalInboxTest {

    private static final String TOPIC = "t.edge.e1";

    private final LocalInbox inbox = new LocalInbox(TOPIC);
    private final BlockingTopic topic = new BlockingTopic();
    private final List<String> dispatched = new CopyOnWriteArrayList<>();
    private final DeliveryLoop loop = DeliveryLoop.builder(
                    () -> new Feed(topic),
                    records -> records.forEach(r -> dispatched.add(new String(r.value(), StandardCharsets.UTF_8))),
                    () -> {})
            .inbox(inbox)
            .build();

    @Test
    void aHandedRecordWaitsForItsFenceAndComesBeforeWhatFollowsTheFenceOnTheTopic() {
        loop.open();
        topic.append(delivery("k1")); // another router, before this one took the partition over
        ProducerRecord<byte[], byte[]> fence = inbox.fence();
        assertThat(inbox.offer(List.of(handed("l1")))).isTrue();
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).as("l1 waits until its fence is read").containsExactly("k1");

        topic.append(fence);
        topic.append(delivery("k2")); // another router, after this one handed the partition over
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).as("the fence itself is no delivery").containsExactly("k1", "l1", "k2");
    }

    @Test
    void aRecordHandedBeforeAnotherRouterWroteToTheTopicIsDispatchedFirst() {
        loop.open();
        ProducerRecord<byte[], byte[]> fence = inbox.fence();
        topic.append(fence);
        inbox.offer(List.of(handed("l1"), handed("l2")));
        topic.append(delivery("k1"));
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).containsExactly("l1", "l2", "k1");
    }

    @Test
    void fencesOfAnotherRunAreNeitherDispatchedNorReleaseAnything() {
        loop.open();
        // an earlier run of this edge, which made the same fence number
        ProducerRecord<byte[], byte[]> foreign = new LocalInbox(TOPIC).fence();
        inbox.fence();
        inbox.offer(List.of(handed("l1")));
        topic.append(foreign);
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).isEmpty();
    }

    @Test
    void aHandedRecordWakesTheDeliveryThreadBlockedOnKafka() throws Exception {
        loop.open();
        Thread thread = new Thread(loop, "edge-deliveries-test");
        thread.start();
        await().until(() -> topic.polling);
        inbox.offer(List.of(handed("l1")));
        // The fake topic's poll blocks for 15 s unless woken: only the wake-up brings l1 out sooner.
        await().atMost(3, TimeUnit.SECONDS).until(() -> dispatched.contains("l1"));
        loop.stop();
        thread.join(5_000);
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void beforeTheEdgeReadsAndAfterItStoppedHandedRecordsAreTakenAndDropped() {
        assertThat(inbox.offer(List.of(handed("early")))).isTrue();
        loop.open();
        loop.runOnce(Duration.ofMillis(10));
        loop.stop();
        assertThat(inbox.offer(List.of(handed("late")))).isTrue();
        List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
        inbox.drainTo(held);
        assertThat(held).isEmpty();
        assertThat(dispatched).isEmpty();
    }

    @Test
    void itHoldsAtMostItsCapacityAndRefusesTheRest() {
        loop.open();
        List<ProducerRecord<byte[], byte[]>> many = new ArrayList<>();
        for (int i = 0; i < LocalInbox.CAPACITY; i++) {
            many.add(handed("r" + i));
        }
        assertThat(inbox.offer(many)).isTrue();
        assertThat(inbox.hasRoom(1)).isFalse();
        assertThat(inbox.offer(List.of(handed("one too many"))))
                .as("refused: the router sends it through Kafka")
                .isFalse();
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).hasSize(LocalInbox.CAPACITY);
        assertThat(inbox.hasRoom(LocalInbox.CAPACITY)).isTrue();
    }

    @Test
    void whenDispatchingHandedRecordsFailsEveryLiveQueryStartsOverInsteadOfAGap() {
        AtomicInteger gaps = new AtomicInteger();
        DeliveryLoop failing = DeliveryLoop.builder(
                        () -> new Feed(topic),
                        records -> {
                            throw new IllegalStateException("dispatcher bug");
                        },
                        gaps::incrementAndGet)
                .inbox(inbox)
                .build();
        failing.open();
        topic.append(delivery("k1"));
        assertThatThrownBy(() -> failing.runOnce(Duration.ofMillis(10))).hasMessage("dispatcher bug");
        assertThat(gaps).as("k1 is read again from Kafka: no gap").hasValue(0);

        topic.append(inbox.fence());
        inbox.offer(List.of(handed("l1")));
        assertThatThrownBy(() -> failing.runOnce(Duration.ofMillis(10))).hasMessage("dispatcher bug");
        assertThat(gaps).as("l1 left the inbox and cannot be read again").hasValue(1);
    }

    @Test
    void itHoldsAtMostItsByteBoundAndRefusesTheRest() {
        loop.open();
        byte[] mebibyte = new byte[1 << 20];
        List<ProducerRecord<byte[], byte[]>> large = new ArrayList<>();
        for (int i = 0; i < LocalInbox.MAX_BYTES >> 20; i++) {
            large.add(new ProducerRecord<>(TOPIC, mebibyte));
        }
        assertThat(inbox.offer(large)).isTrue();
        assertThat(inbox.hasRoom(1))
                .as("few records, but the bytes are at the bound")
                .isFalse();
        assertThat(inbox.offer(List.of(handed("small"))))
                .as("refused: the router sends it through Kafka")
                .isFalse();
        loop.runOnce(Duration.ofMillis(10));
        assertThat(dispatched).hasSize(large.size());
        assertThat(inbox.hasRoom(1)).isTrue();
        assertThat(inbox.offer(List.of(handed("small")))).isTrue();
    }

    private static ProducerRecord<byte[], byte[]> handed(String label) {
        return new ProducerRecord<>(TOPIC, label.getBytes(StandardCharsets.UTF_8));
    }

    private static ProducerRecord<byte[], byte[]> delivery(String label) {
        return handed(label);
    }

    /** One partition whose poll blocks (for 15 s, whatever the timeout) until records arrive or a wake-up. */
    private static final class BlockingTopic {
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private boolean woken;
        volatile boolean polling;

        synchronized void append(ProducerRecord<byte[], byte[]> r) {
            records.add(new ConsumerRecord<>(
                    TOPIC,
                    0,
                    records.size(),
                    0L,
                    TimestampType.CREATE_TIME,
                    0,
                    0,
                    r.key(),
                    r.value(),
                    new RecordHeaders(r.headers().toArray()),
                    Optional.empty()));
            notifyAll();
        }

        synchronized long end() {
            return records.size();
        }

        synchronized List<ConsumerRecord<byte[], byte[]>> poll(long from, Duration timeout) {
            long deadline = System.nanoTime()
                    + (timeout.isZero() || timeout.toMillis() < 100
                            ? timeout.toNanos()
                            : Duration.ofSeconds(15).toNanos());
            polling = true;
            try {
                while (records.size() <= from && !woken && System.nanoTime() < deadline) {
                    try {
                        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (woken) {
                    woken = false;
                    throw new WakeupException();
                }
                return new ArrayList<>(records.subList((int) from, records.size()));
            } finally {
                polling = false;
            }
        }

        synchronized void wakeup() {
            woken = true;
            notifyAll();
        }
    }

    private static final class Feed implements DeliveryFeed {
        private final BlockingTopic topic;
        private long position;

        Feed(BlockingTopic topic) {
            this.topic = topic;
        }

        @Override
        public boolean open(OptionalLong from) {
            position = from.isPresent() ? from.getAsLong() : topic.end();
            return true;
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            List<ConsumerRecord<byte[], byte[]>> out = topic.poll(position, timeout);
            position += out.size();
            return out;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void wakeup() {
            topic.wakeup();
        }

        @Override
        public void close() {}
    }
}
