package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Changes leave Debezium's queue as soon as they are queued, in order, batched by what queued meanwhile. */
class HandoverTest {

    /** Like Debezium's change queue with max.batch.size=1: one change as soon as there is one, else nothing after the interval. */
    private static final class OneAtATimeQueue implements Handover.Source {
        final LinkedBlockingQueue<SourceRecord> queued = new LinkedBlockingQueue<>();
        final Duration interval;
        volatile RuntimeException failure;

        OneAtATimeQueue(Duration interval) {
            this.interval = interval;
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (failure != null) {
                throw failure;
            }
            SourceRecord record = queued.poll(interval.toNanos(), TimeUnit.NANOSECONDS);
            return record == null ? List.of() : List.of(record);
        }
    }

    private final List<Handover> started = new ArrayList<>();

    private Handover start(Handover.Source source, int maxBatch, Duration wait) {
        Handover handover = Handover.start("test-handover", source, maxBatch, wait);
        started.add(handover);
        return handover;
    }

    @AfterEach
    void stop() {
        started.forEach(Handover::stop);
    }

    private static SourceRecord record(long n) {
        return new SourceRecord(Map.of("db", "app"), Map.of("lsn", n), "app.public.t", null, n);
    }

    @Test
    void aLoneChangeIsHandedOverWithoutWaitingForTheInterval() throws InterruptedException {
        OneAtATimeQueue queue = new OneAtATimeQueue(Duration.ofSeconds(30));
        Handover handover = start(queue, 2048, Duration.ofSeconds(30));

        queue.queued.add(record(1));
        long began = System.nanoTime();
        List<SourceRecord> batch = handover.take();

        assertThat(batch).extracting(SourceRecord::value).containsExactly(1L);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void whatQueuedMeanwhileTravelsInBatchesOfAtMostTheBatchSizeInOrder() throws InterruptedException {
        OneAtATimeQueue queue = new OneAtATimeQueue(Duration.ofSeconds(30));
        for (long n = 1; n <= 10; n++) {
            queue.queued.add(record(n));
        }
        Handover handover = start(queue, 4, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> handover.buffered() == 8); // the buffer holds two batches

        List<Object> values = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        while (values.size() < 10) {
            List<SourceRecord> batch = handover.take();
            sizes.add(batch.size());
            batch.forEach(r -> values.add(r.value()));
        }

        assertThat(values).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(sizes.get(0)).isEqualTo(4);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
    }

    @Test
    void nothingQueuedGivesAnEmptyBatchAfterTheWait() throws InterruptedException {
        Handover handover = start(new OneAtATimeQueue(Duration.ofMillis(5)), 2048, Duration.ofMillis(20));

        assertThat(handover.take()).isEmpty();
    }

    @Test
    void aFailureOfTheTaskIsThrownToTheEngine() {
        OneAtATimeQueue queue = new OneAtATimeQueue(Duration.ofMillis(5));
        queue.failure = new IllegalStateException("replication connection lost");
        Handover handover = start(queue, 2048, Duration.ofMillis(20));

        await().atMost(Duration.ofSeconds(10)).until(() -> !handover.polling());
        assertThatThrownBy(handover::take)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replication connection lost");
    }

    @Test
    void stopEndsThePollingThreadWhileItWaits() {
        Handover handover = start(new OneAtATimeQueue(Duration.ofSeconds(30)), 2048, Duration.ofSeconds(30));

        handover.stop();

        assertThat(handover.polling()).isFalse();
    }

    @Test
    void stopEndsThePollingThreadWhileTheBufferIsFull() {
        OneAtATimeQueue queue = new OneAtATimeQueue(Duration.ofSeconds(30));
        for (long n = 1; n <= 10; n++) {
            queue.queued.add(record(n));
        }
        Handover handover = start(queue, 1, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> handover.buffered() == 2);

        handover.stop();

        assertThat(handover.polling()).isFalse();
    }

    @Test
    void anIdlePollStartsLateInTheMillisecondSoDebeziumsIntervalEndsPastTheTick() {
        assertThat(Handover.pauseBeforeIdlePoll(0)).isEqualTo(Handover.LATE_IN_THE_MILLISECOND_NANOS);
        assertThat(Handover.pauseBeforeIdlePoll(100_000)).isEqualTo(Handover.LATE_IN_THE_MILLISECOND_NANOS - 100_000);
        assertThat(Handover.pauseBeforeIdlePoll(Handover.LATE_IN_THE_MILLISECOND_NANOS))
                .isZero();
        assertThat(Handover.pauseBeforeIdlePoll(999_999)).isZero();
    }

    @Test
    void aChangeRightBehindTheLastBatchIsGatheredWithWhatFollowsItALoneOneIsNot() {
        long soon = Handover.LINGER_NANOS / 2;
        long late = Handover.LINGER_NANOS * 10;
        long quick = Handover.WAITED_NANOS / 2;
        long slow = Handover.WAITED_NANOS * 10;
        assertThat(Handover.inAStream(soon, 0)).isTrue(); // found waiting right after the last batch
        assertThat(Handover.inAStream(soon, quick)).isTrue();
        assertThat(Handover.inAStream(soon, slow)).isFalse(); // waited for: it came alone
        assertThat(Handover.inAStream(late, 0)).isFalse(); // the engine was busy: what queued is the batch
        assertThat(Handover.inAStream(late, slow)).isFalse();
    }
}
