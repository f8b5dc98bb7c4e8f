package io.undercurrent.bus.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.change.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The channel records and keys survive the trip through Kafka exactly. */
class ChannelCodecTest {

    private final BusCodec codec = new BusCodec();

    @Test
    void presenceRecordsRoundTrip() {
        PresenceRecord record =
                new PresenceRecord("edge-1.a1b2", "c0ffee", "group:42", Map.of("sub", "alice", "name", "Alice"), 7L);
        assertThat(codec.decode(codec.encode(record), PresenceRecord.class)).isEqualTo(record);
        NodeHeartbeat beat = new NodeHeartbeat("edge-1.a1b2", 9L, 30_000L);
        assertThat(codec.decode(codec.encode(beat), NodeHeartbeat.class)).isEqualTo(beat);
    }

    @Test
    void messagesKeepTheirDataAsWritten() throws Exception {
        JsonNode data = codec.mapper().readTree("{\"typing\":true,\"n\":12345678901234567890,\"x\":[1.50,null]}");
        ChannelMessage message =
                new ChannelMessage("edge-2.ff", "beef", "doc:1/cursor", Map.of("sub", "bob"), data, 3L);
        ChannelMessage back = codec.decode(codec.encode(message), ChannelMessage.class);
        assertThat(back).isEqualTo(message);
        assertThat(back.data().toString()).isEqualTo(data.toString());
    }

    @Test
    void keysParseBackAndChannelNamesMayHoldSlashes() {
        PresenceKey.Member member = new PresenceKey.Member("edge-1.a1b2", "c0ffee", "doc:7/cursor");
        assertThat(member.asKey()).isEqualTo("p/edge-1.a1b2/c0ffee/doc:7/cursor");
        assertThat(PresenceKey.parse(member.asKey())).isEqualTo(member);
        assertThat(PresenceKey.parse("n/edge-1.a1b2")).isEqualTo(new PresenceKey.Node("edge-1.a1b2"));
        assertThatThrownBy(() -> PresenceKey.parse("edge/edge-1")).hasMessageContaining("not a presence key");
        assertThatThrownBy(() -> PresenceKey.parse("p/a/b")).hasMessageContaining("not a presence key");
        assertThatThrownBy(() -> new PresenceKey.Member("a/b", "c", "x")).hasMessageContaining("hold no '/'");
    }

    @Test
    void topicsHangUnderThePrefix() {
        Topics topics = new Topics("uc");
        assertThat(ChannelTopics.presence(topics)).isEqualTo("uc.presence");
        assertThat(ChannelTopics.messages(topics)).isEqualTo("uc.channel-messages");
    }
}
