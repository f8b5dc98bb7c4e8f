package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hung delivery thread is told from a slow or idle one, and said where it hangs. */
@Timeout(20)
class DeliveryWatchdogTest {

    private final ManualClock clock = new ManualClock(1_000_000);
    private final DeliveryWatchdog watchdog = new DeliveryWatchdog(clock, Duration.ofSeconds(30));

    @Test
    void aThreadThatBeatsIsNeverStalledAndOneThatStopsIsAfterTheTimeout() {
        watchdog.watch(Thread.currentThread());
        clock.advance(29_000);
        watchdog.beat();
        clock.advance(29_000);
        assertThat(watchdog.stall()).as("beats in time").isNull();
        clock.advance(1_000);
        assertThat(watchdog.stall())
                .as("exactly the timeout is not yet a stall")
                .isNull();
        clock.advance(1_000);
        assertThat(watchdog.stall())
                .contains("no progress for 31 s")
                .contains("edge.delivery-stall-timeout is 30 s")
                .contains("runnable at ");
    }

    @Test
    void nothingIsReportedBeforeTheThreadIsWatched() {
        clock.advance(3_600_000);
        assertThat(watchdog.stall()).isNull();
    }

    /**
     * The delivery thread blocks inside a dispatch (as on a lock that is never released) while an idle
     * one goes round its loop at every poll: only the first is a stall, and it ends when the thread
     * moves again.
     */
    @Test
    void aDeliveryLoopStuckInADispatchIsReportedAndAnIdleOneIsNot() throws Exception {
        BlockingQueue<Long> topic = new LinkedBlockingQueue<>();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DeliveryLoop loop = DeliveryLoop.builder(
                        () -> new QueueFeed(topic),
                        records -> {
                            if (!records.isEmpty()) {
                                stuck.countDown();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        },
                        () -> {})
                .progress(watchdog::beat)
                .build();
        loop.open();
        Thread thread = new Thread(loop, "edge-deliveries");
        watchdog.watch(thread);
        thread.start();
        try {
            clock.advance(60_000);
            await("an idle loop beats at each poll")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> watchdog.stall() == null);

            topic.add(0L);
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
            clock.advance(31_000);
            assertThat(watchdog.stall()).contains("no progress for 31 s");
            // the dispatcher may still be on its way into the wait
            await("the stall says where the thread waits")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> watchdog.stall().contains("waiting at "));

            release.countDown();
            await("the loop moves again").atMost(Duration.ofSeconds(5)).until(() -> watchdog.stall() == null);
        } finally {
            release.countDown();
            loop.stop();
            thread.join(5_000);
        }
    }

    /** A delivery topic in memory: each poll waits for the next record like a Kafka consumer's. */
    private static final class QueueFeed implements DeliveryFeed {
        private static final long WAKE_UP = -1;
        private final BlockingQueue<Long> topic;
        private long position;

        QueueFeed(BlockingQueue<Long> topic) {
            this.topic = topic;
        }

        @Override
        public boolean open(OptionalLong from) {
            return true;
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            try {
                Long offset = topic.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (offset == null) {
                    return List.of();
                }
                if (offset == WAKE_UP) {
                    throw new WakeupException();
                }
                position = offset + 1;
                return List.of(new ConsumerRecord<>("t.edge.e1", 0, offset, new byte[0], new byte[0]));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void wakeup() {
            topic.add(WAKE_UP);
        }

        @Override
        public void close() {}
    }
}
