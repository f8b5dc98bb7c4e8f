package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What ingest offers waits here, bounded in records and bytes, and wakes the router only while it waits. */
class ChangeInboxTest {

    private static final TopicPartition P0 = new TopicPartition("t.changes.app", 0);

    private final ChangeInbox inbox = new ChangeInbox();
    private final AtomicInteger wakes = new AtomicInteger();

    ChangeInboxTest() {
        inbox.attach(wakes::incrementAndGet);
        inbox.accept(Set.of(P0));
    }

    @Test
    void holdsAtMostItsCapacityOfRecords() {
        for (int i = 0; i < ChangeInbox.CAPACITY + 10; i++) {
            offer(i, 1);
        }
        assertThat(inbox.dropped()).isEqualTo(10);
        List<ConsumerRecord<byte[], byte[]>> out = drain();
        assertThat(out).hasSize(ChangeInbox.CAPACITY);
        assertThat(out.get(out.size() - 1).offset()).isEqualTo(ChangeInbox.CAPACITY - 1);

        offer(ChangeInbox.CAPACITY + 10, 1);
        assertThat(drain()).as("room again once drained").hasSize(1);
    }

    @Test
    void holdsAtMostItsBytes() {
        int size = (int) (ChangeInbox.MAX_BYTES / 4);
        for (int i = 0; i < 5; i++) {
            offer(i, size);
        }
        assertThat(drain()).hasSize(4);
        assertThat(inbox.dropped()).isEqualTo(1);
        offer(5, size);
        assertThat(drain()).hasSize(1);
    }

    @Test
    void dropsWhatIsNotRoutedHereAndEverythingOnceDetached() {
        inbox.offer(
                new ProducerRecord<>("t.changes.app", 1, null, new byte[1]),
                new RecordMetadata(new TopicPartition("t.changes.app", 1), 0, 0, 0, 0, 1));
        assertThat(drain()).isEmpty();

        offer(0, 1);
        inbox.detach();
        assertThat(drain()).isEmpty();
        offer(1, 1);
        assertThat(drain()).isEmpty();
    }

    @Test
    void wakesTheRouterOnlyWhileParkedAndNeverParksOverWaitingRecords() {
        offer(0, 1);
        assertThat(wakes).hasValue(0);
        assertThat(inbox.park()).as("a record waits: poll without waiting").isFalse();
        drain();

        assertThat(inbox.park()).isTrue();
        offer(1, 1);
        offer(2, 1);
        assertThat(wakes).as("once per park").hasValue(1);
        inbox.unpark();
        offer(3, 1);
        assertThat(wakes).hasValue(1);
    }

    private void offer(long offset, int size) {
        inbox.offer(
                new ProducerRecord<>(P0.topic(), P0.partition(), null, new byte[size]),
                new RecordMetadata(P0, offset, 0, 0, 0, size));
    }

    private List<ConsumerRecord<byte[], byte[]>> drain() {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        inbox.drainTo(out);
        return out;
    }
}
