package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.kafka.LocalDeliveries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Which deliveries skip Kafka for the edge in this process, and the fences that keep their order. */
class LocalHandOffTest {

    private static final String LOCAL = "t.edge.here";
    private static final String REMOTE = "t.edge.elsewhere";

    private final FakeEdge edge = new FakeEdge();
    private final List<String> throughKafka = new ArrayList<>();
    private final List<Callback> kafkaCallbacks = new ArrayList<>();
    private final AtomicLong handed = new AtomicLong();
    private final LocalHandOff handOff = new LocalHandOff(edge, this::kafka, handed);

    @Test
    void recordsForTheLocalEdgeAreHandedOverAfterAFenceAndOthersGoThroughKafka() throws Exception {
        List<Future<RecordMetadata>> sent =
                handOff.sendAll(List.of(record(LOCAL, "a"), record(REMOTE, "b"), record(LOCAL, "c")));
        assertThat(throughKafka).containsExactly(REMOTE + ":b", LOCAL + ":fence1");
        assertThat(edge.taken).containsExactly(List.of("a", "c"));
        assertThat(handed).hasValue(2);
        for (Future<RecordMetadata> f : sent) {
            assertThat(f).as("the fence's acknowledgement is one of the turn's").isNotNull();
        }
        assertThat(sent).hasSize(3); // b, the fence, and one for what the edge took

        handOff.sendAll(List.of(record(LOCAL, "d")));
        assertThat(throughKafka).as("no fence while nothing changed").hasSize(2);
        assertThat(edge.taken).containsExactly(List.of("a", "c"), List.of("d"));
    }

    @Test
    void afterItsPartitionsChangedTheRouterFencesAgain() {
        handOff.sendAll(List.of(record(LOCAL, "a")));
        handOff.partitionsChanged();
        handOff.sendAll(List.of(record(LOCAL, "b")));
        assertThat(throughKafka).containsExactly(LOCAL + ":fence1", LOCAL + ":fence2");
        assertThat(edge.fenceAtOffer).containsExactly(1L, 2L);
    }

    @Test
    void whenTheEdgeHoldsTooManyTheyGoThroughKafkaAndAFenceComesBeforeTheNextHandOff() {
        handOff.sendAll(List.of(record(LOCAL, "a")));
        edge.full = true;
        handOff.sendAll(List.of(record(LOCAL, "b")));
        handOff.sendAll(List.of(record(LOCAL, "c")));
        assertThat(throughKafka)
                .as("no fence while the edge has no room")
                .containsExactly(LOCAL + ":fence1", LOCAL + ":b", LOCAL + ":c");
        edge.full = false;
        handOff.sendAll(List.of(record(LOCAL, "d")));
        assertThat(throughKafka).endsWith(LOCAL + ":c", LOCAL + ":fence2");
        assertThat(edge.taken).containsExactly(List.of("a"), List.of("d"));
        assertThat(edge.fenceAtOffer).containsExactly(1L, 2L);
    }

    @Test
    void aFenceKafkaRefusedIsMadeAgain() {
        handOff.sendAll(List.of(record(LOCAL, "a")));
        kafkaCallbacks.get(0).onCompletion(null, new RuntimeException("not leader"));
        handOff.sendAll(List.of(record(LOCAL, "b")));
        assertThat(throughKafka).containsExactly(LOCAL + ":fence1", LOCAL + ":fence2");
    }

    @Test
    void withoutALocalEdgeEverythingGoesThroughKafka() {
        LocalHandOff none = new LocalHandOff(LocalDeliveries.NONE, this::kafka, handed);
        none.sendAll(List.of(record(LOCAL, "a"), record(REMOTE, "b")));
        assertThat(throughKafka).containsExactly(LOCAL + ":a", REMOTE + ":b");
        assertThat(handed).hasValue(0);
    }

    private Future<RecordMetadata> kafka(ProducerRecord<byte[], byte[]> record, Callback callback) {
        throughKafka.add(record.topic() + ":" + label(record));
        kafkaCallbacks.add(callback);
        return new CompletableFuture<>();
    }

    private static String label(ProducerRecord<byte[], byte[]> record) {
        var fence = record.headers().lastHeader(LocalDeliveries.FENCE_HEADER);
        return fence != null
                ? "fence" + new String(fence.value(), StandardCharsets.UTF_8)
                : new String(record.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String label) {
        return new ProducerRecord<>(topic, label.getBytes(StandardCharsets.UTF_8));
    }

    private static final class FakeEdge implements LocalDeliveries {
        final List<List<String>> taken = new ArrayList<>();
        final List<Long> fenceAtOffer = new ArrayList<>();
        boolean full;
        long fences;

        @Override
        public String topic() {
            return LOCAL;
        }

        @Override
        public boolean hasRoom(int records) {
            return !full;
        }

        @Override
        public ProducerRecord<byte[], byte[]> fence() {
            fences++;
            RecordHeaders headers = new RecordHeaders();
            headers.add(FENCE_HEADER, Long.toString(fences).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(LOCAL, null, null, null, new byte[0], headers);
        }

        @Override
        public boolean offer(List<ProducerRecord<byte[], byte[]>> records) {
            if (full) {
                return false;
            }
            taken.add(records.stream().map(LocalHandOffTest::label).toList());
            fenceAtOffer.add(fences);
            return true;
        }
    }
}
