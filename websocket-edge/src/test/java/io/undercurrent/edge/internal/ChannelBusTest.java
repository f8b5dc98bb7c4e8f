package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.channel.ChannelTopics;
import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ServerFrames;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The channel reader's failures are kept for the edge's health, since their start, until a read succeeds. */
class ChannelBusTest {

    private final EdgeSettings settings = EdgeSettings.defaults("e1", "127.0.0.1:9", new Topics("t"), "app");
    private final ManualClock clock = new ManualClock(5_000);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
    private final ChannelBus bus = new ChannelBus(
            settings,
            "e1.1",
            new BusCodec(),
            new Presence("e1.1", new ServerFrames(), 30_000),
            clock,
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));

    @Test
    void aReaderFailureIsReportedWithItsStartUntilTheReaderRecovers() {
        TopicPartition presence = new TopicPartition(ChannelTopics.presence(settings.topics()), 0);
        TopicPartition messages = new TopicPartition(ChannelTopics.messages(settings.topics()), 0);
        consumer.updateBeginningOffsets(Map.of(presence, 0L, messages, 0L));
        consumer.updateEndOffsets(Map.of(presence, 0L, messages, 0L));
        bus.open(consumer);
        assertThat(bus.readOnce()).isTrue();
        assertThat(bus.failure()).isNull();

        consumer.setPollException(new KafkaException("not authorized to read t.channels"));
        assertThat(bus.readOnce()).isFalse();
        assertThat(bus.failure().reason()).contains("not authorized to read t.channels");
        assertThat(bus.failure().sinceMillis()).isEqualTo(5_000);

        clock.advance(1_000);
        consumer.setPollException(new KafkaException("still not authorized"));
        assertThat(bus.readOnce()).isFalse();
        assertThat(bus.failure().reason()).as("the latest reason").contains("still not authorized");
        assertThat(bus.failure().sinceMillis()).as("since the first failure").isEqualTo(5_000);

        assertThat(bus.readOnce()).isTrue();
        assertThat(bus.failure()).as("cleared once a read succeeds").isNull();
        bus.closeProducer();
    }
}
