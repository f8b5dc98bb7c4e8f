package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Watermark;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change log merged from the consumer and what ingest in this process offers: an offered record is
 * returned only as the next offset of an owned partition, the consumer's copies of it never, and the
 * position a new subscription is judged from is where routing stands.
 */
class TappedChangesTest {

    private static final String TOPIC = "t.changes.app";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration TIMEOUT = Duration.ofMillis(20);

    private final FakeRouterBus.FakeChangeLog consumer = new FakeRouterBus.FakeChangeLog();
    private final ChangeInbox inbox = new ChangeInbox();
    private final TappedChanges changes = new TappedChanges(consumer, inbox);
    private final List<String> ownership = new ArrayList<>();

    @BeforeEach
    void ownP0() {
        changes.subscribe(new ChangeLog.Ownership() {
            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                ownership.add("revoked " + partitions);
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                ownership.add("assigned " + partitions);
            }

            @Override
            public void lost(Collection<TopicPartition> partitions) {
                ownership.add("lost " + partitions);
            }
        });
        consumer.assign(P0);
        assertThat(changes.poll(TIMEOUT)).isEmpty();
        assertThat(ownership).containsExactly("assigned [" + P0 + "]");
    }

    @Test
    void offeredRecordsContinuingWhatWasReturnedComeBeforeTheConsumerReadsThemAndItsCopiesAreDropped() {
        consumer.fetchHeld = true;
        write(P0, "a", true);
        write(P0, "b", true);
        write(P0, "c", true);

        assertThat(values(changes.poll(TIMEOUT))).containsExactly("a", "b", "c");
        assertThat(changes.position(P0))
                .as("where routing stands, not the consumer")
                .isEqualTo(3);
        assertThat(consumer.position(P0)).isZero();
        assertThat(inbox.used()).isEqualTo(3);

        consumer.fetchHeld = false;
        assertThat(changes.poll(TIMEOUT)).as("the consumer's copies").isEmpty();
        write(P0, "d", false);
        assertThat(offsets(changes.poll(TIMEOUT)))
                .as("read by the consumer only")
                .containsExactly(3L);
        assertThat(changes.position(P0)).isEqualTo(4);
    }

    @Test
    void anOfferedRecordAfterAGapWaitsUntilTheConsumerFilledIt() {
        consumer.fetchHeld = true;
        write(P0, "a", false); // dropped on the way, say: only the consumer has it
        write(P0, "b", true);
        write(P0, "c", true);

        assertThat(changes.poll(TIMEOUT))
                .as("offset 0 not returned yet: 1 and 2 wait")
                .isEmpty();
        assertThat(changes.position(P0)).isZero();

        consumer.fetchHeld = false;
        consumer.maxPollRecords = 1;
        List<ConsumerRecord<byte[], byte[]>> batch = changes.poll(TIMEOUT);
        assertThat(offsets(batch)).containsExactly(0L, 1L, 2L);
        assertThat(values(batch)).containsExactly("a", "b", "c");
        assertThat(inbox.used()).as("the two after the gap came from the offer").isEqualTo(2);
        assertThat(changes.poll(TIMEOUT)).as("the consumer's copies of 1 and 2").isEmpty();
        assertThat(changes.poll(TIMEOUT)).isEmpty();
    }

    @Test
    void whatWaitsAheadOfAGapIsBoundedInBytes() {
        consumer.fetchHeld = true;
        write(P0, "a", false);
        String large = "x".repeat((int) (TappedChanges.MAX_AHEAD_BYTES / 2) - 1024);
        for (String prefix : List.of("b", "c", "d")) {
            write(P0, prefix + large, true);
            assertThat(changes.poll(TIMEOUT)).as("all wait behind offset 0").isEmpty();
        }

        consumer.fetchHeld = false;
        consumer.maxPollRecords = 1;
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(changes.poll(TIMEOUT));
        while (out.size() < 4) {
            out.addAll(changes.poll(TIMEOUT));
        }
        assertThat(offsets(out)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(inbox.used())
                .as("two records of half the bound each waited; the third came from the consumer")
                .isEqualTo(2);
    }

    @Test
    void recordsOfferedOutOfOrderAreReturnedInOffsetOrder() {
        consumer.fetchHeld = true;
        long a = consumer.append(TOPIC, 0, bytes("a"));
        long b = consumer.append(TOPIC, 0, bytes("b"));
        offer(P0, b, "b");
        offer(P0, a, "a");

        assertThat(values(changes.poll(TIMEOUT))).containsExactly("a", "b");
    }

    @Test
    void offersForPartitionsNotOwnedAreDropped() {
        consumer.fetchHeld = true;
        write(P1, "elsewhere", true);
        assertThat(changes.poll(TIMEOUT)).isEmpty();
        assertThat(inbox.used()).isZero();

        consumer.assign(P1); // owned from now on; the record offered before is read by the consumer
        changes.poll(TIMEOUT);
        consumer.fetchHeld = false;
        assertThat(values(changes.poll(TIMEOUT))).containsExactly("elsewhere");
        assertThat(inbox.used()).isZero();
    }

    @Test
    void aSeekGoesBackToWhatTheConsumerReadsFromThere() {
        consumer.fetchHeld = true;
        write(P0, "a", true);
        write(P0, "b", true);
        write(P0, "c", true);
        assertThat(changes.poll(TIMEOUT)).hasSize(3);

        changes.seek(P0, new OffsetAndMetadata(1)); // a rewind: 1 and 2 are read again
        assertThat(changes.position(P0)).isEqualTo(1);
        write(P0, "d", true);
        assertThat(changes.poll(TIMEOUT)).as("3 waits for 1 and 2").isEmpty();

        consumer.fetchHeld = false;
        assertThat(values(changes.poll(TIMEOUT))).containsExactly("b", "c", "d");
    }

    @Test
    void aRevokedPartitionTakesNoOffersAndIsReadFromTheConsumerWhenGivenBack() {
        consumer.fetchHeld = true;
        write(P0, "a", true);
        assertThat(changes.poll(TIMEOUT)).hasSize(1);

        consumer.revoke(P0);
        changes.poll(TIMEOUT);
        write(P0, "b", true);
        assertThat(changes.poll(TIMEOUT)).isEmpty();

        consumer.commitSync(java.util.Map.of(P0, new OffsetAndMetadata(1)));
        consumer.assign(P0);
        consumer.fetchHeld = false;
        assertThat(values(changes.poll(TIMEOUT))).containsExactly("b");
        assertThat(changes.position(P0)).isEqualTo(2);
        assertThat(ownership).containsExactly("assigned [" + P0 + "]", "revoked [" + P0 + "]", "assigned [" + P0 + "]");
    }

    @Test
    void whileOfferedRecordsAreReadyTheConsumerIsPolledWithoutWaiting() {
        consumer.fetchHeld = true;
        write(P0, "a", true);
        changes.poll(TIMEOUT);
        changes.poll(TIMEOUT);
        assertThat(consumer.pollTimeouts.subList(1, 3)).containsExactly(Duration.ZERO, TIMEOUT);
    }

    @Test
    void anOfferWakesThePollOnlyWhileItWaits() {
        write(P0, "a", true);
        assertThat(consumer.interrupts).as("not parked").isZero();

        consumer.beforeNextPoll(() -> write(P0, "b", true)); // offered during the blocked poll
        consumer.fetchHeld = true;
        changes.poll(TIMEOUT);
        assertThat(changes.poll(TIMEOUT)).isEmpty();
        assertThat(consumer.interrupts).isZero(); // "a" was waiting: that poll did not block

        consumer.beforeNextPoll(() -> write(P0, "c", true));
        assertThat(values(changes.poll(TIMEOUT))).containsExactly("c");
        assertThat(consumer.interrupts).isEqualTo(1);
    }

    @Test
    void headersAndOffsetsAreKeptSoWatermarksAreToldApart() {
        consumer.fetchHeld = true;
        long offset = consumer.appendWatermark(TOPIC, 0, bytes("w"));
        RecordHeaders headers = new RecordHeaders();
        headers.add(Watermark.HEADER, new byte[] {'1'});
        inbox.offer(
                new ProducerRecord<>(TOPIC, 0, null, null, bytes("w"), headers),
                new RecordMetadata(P0, offset, 0, 0, 0, 1));

        ConsumerRecord<byte[], byte[]> record = changes.poll(TIMEOUT).get(0);
        assertThat(ChangeRouter.isWatermark(record)).isTrue();
        assertThat(record.offset()).isEqualTo(offset);
        assertThat(record.partition()).isZero();
    }

    /** Appends a record to the partition's log and, when {@code offered}, offers it as ingest would. */
    private void write(TopicPartition tp, String value, boolean offered) {
        long offset = consumer.append(tp.topic(), tp.partition(), bytes(value));
        if (offered) {
            offer(tp, offset, value);
        }
    }

    private void offer(TopicPartition tp, long offset, String value) {
        inbox.offer(
                new ProducerRecord<>(tp.topic(), tp.partition(), null, bytes(value)),
                new RecordMetadata(tp, offset, 0, 0, 0, value.length()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static List<Long> offsets(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }
}
