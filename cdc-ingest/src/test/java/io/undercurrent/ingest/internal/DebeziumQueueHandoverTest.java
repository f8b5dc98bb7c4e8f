package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;
import io.debezium.util.LoggingContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Debezium behaviour {@link Handover} relies on, with Debezium's own change queue: with
 * {@code max.batch.size=1} it returns a lone change at once instead of at the end of its interval; and
 * an idle queue polled through the handover does not spin through the end of every interval.
 */
class DebeziumQueueHandoverTest {

    private Handover handover;

    @AfterEach
    void stop() {
        if (handover != null) {
            handover.stop();
        }
    }

    private static ChangeEventQueue<DataChangeEvent> queue(Duration pollInterval) {
        return new ChangeEventQueue.Builder<DataChangeEvent>()
                .pollInterval(pollInterval)
                .maxBatchSize(1)
                .maxQueueSize(8)
                .loggingContextSupplier(() -> LoggingContext.forConnector("postgres", "test", "streaming"))
                .build();
    }

    private static Handover.Source source(ChangeEventQueue<DataChangeEvent> queue) {
        return () -> queue.poll().stream().map(DataChangeEvent::getRecord).toList();
    }

    @Test
    void aLoneChangeLeavesDebeziumsQueueLongBeforeItsIntervalEnds() throws InterruptedException {
        ChangeEventQueue<DataChangeEvent> queue = queue(Duration.ofSeconds(20));
        handover = Handover.start("test-handover", source(queue), 2048, Duration.ofSeconds(20));
        SourceRecord change = new SourceRecord(Map.of("db", "app"), Map.of("lsn", 1L), "app.public.t", null, 1L);

        long began = System.nanoTime();
        queue.enqueue(new DataChangeEvent(change));
        List<SourceRecord> batch = handover.take();

        assertThat(batch).containsExactly(change);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anIdleQueueCostsLittleCpu() throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ChangeEventQueue<DataChangeEvent> queue = queue(Duration.ofMillis(5));
        handover = Handover.start("test-handover", source(queue), 2048, Duration.ofMillis(1500));
        long pollingThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("test-handover"))
                .findFirst()
                .orElseThrow()
                .getId();

        // One change through first, so class loading and the first polls are not counted.
        queue.enqueue(new DataChangeEvent(
                new SourceRecord(Map.of("db", "app"), Map.of("lsn", 1L), "app.public.t", null, 1L)));
        assertThat(handover.take()).hasSize(1);

        long cpuBefore = threads.getThreadCpuTime(pollingThread);
        long began = System.nanoTime();
        assertThat(handover.take()).isEmpty(); // 1.5 s of an idle source
        long cpu = threads.getThreadCpuTime(pollingThread) - cpuBefore;
        long wall = System.nanoTime() - began;

        // Debezium's queue alone spins through the last millisecond of each 5 ms interval: about 15 %
        // of a core. Through the handover, idle polls start late in a millisecond and do not spin.
        assertThat((double) cpu / wall)
                .as("share of a core used polling an idle queue")
                .isLessThan(0.07);
    }
}
