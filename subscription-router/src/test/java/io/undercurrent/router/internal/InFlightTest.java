package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InFlightTest {

    private static final TopicPartition P0 = new TopicPartition("changes", 0);

    private final InFlight inFlight = new InFlight();

    private static Map<TopicPartition, OffsetAndMetadata> upTo(long offset) {
        return Map.of(P0, new OffsetAndMetadata(offset));
    }

    @Test
    void offsetsBecomeCommittableOnlyForAnAcknowledgedPrefix() throws Exception {
        CompletableFuture<RecordMetadata> first = new CompletableFuture<>();
        CompletableFuture<RecordMetadata> second = new CompletableFuture<>();
        inFlight.add(upTo(10), List.<Future<RecordMetadata>>of(first));
        inFlight.add(upTo(20), List.<Future<RecordMetadata>>of(second));

        second.complete(null);
        assertThat(inFlight.completed())
                .as("the older batch is still unacknowledged")
                .isEmpty();

        first.complete(null);
        assertThat(inFlight.completed()).isEqualTo(upTo(20));
        assertThat(inFlight.acknowledged(P0)).isEqualTo(new OffsetAndMetadata(20));
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void aRefusedDeliveryFailsAndKeepsTheLastAcknowledgedOffset() throws Exception {
        CompletableFuture<RecordMetadata> ok = CompletableFuture.completedFuture(null);
        CompletableFuture<RecordMetadata> refused =
                CompletableFuture.failedFuture(new IllegalStateException("broker gone"));
        inFlight.add(upTo(5), List.<Future<RecordMetadata>>of(ok));
        inFlight.completed();
        inFlight.add(upTo(9), List.<Future<RecordMetadata>>of(refused));

        assertThatThrownBy(inFlight::completed)
                .isInstanceOf(InFlight.Failed.class)
                .hasMessageContaining("broker gone");
        assertThat(inFlight.acknowledged(P0)).as("resume from here").isEqualTo(new OffsetAndMetadata(5));
        assertThat(inFlight.size()).isZero();
    }
}
