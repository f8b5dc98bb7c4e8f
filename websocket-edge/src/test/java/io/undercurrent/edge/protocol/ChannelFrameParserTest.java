package io.undercurrent.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** join, publish and leave frames: shape and channel names checked, every problem a bad_request. */
class ChannelFrameParserTest {

    private final FrameParser parser = new FrameParser();

    @Test
    void readsChannelFrames() throws Exception {
        assertThat(parser.parse("{\"type\":\"join\",\"id\":\"j\",\"channel\":\"group:42\"}"))
                .isEqualTo(new ClientFrame.Join("j", "group:42"));
        assertThat(parser.parse("{\"type\":\"leave\",\"channel\":\"doc:7/cursor\"}"))
                .isEqualTo(new ClientFrame.Leave(null, "doc:7/cursor"));
        ClientFrame.Publish publish = (ClientFrame.Publish)
                parser.parse("{\"type\":\"publish\",\"channel\":\"group:42\",\"data\":{\"typing\":true}}");
        assertThat(publish.data().toString()).isEqualTo("{\"typing\":true}");
    }

    @Test
    void refusesMalformedChannelFrames() {
        assertThatThrownBy(() -> parser.parse("{\"type\":\"join\",\"id\":\"j\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.requestId()).isEqualTo("j");
                })
                .hasMessageContaining("\"channel\" is required");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"join\",\"channel\":\"group 42\"}"))
                .hasMessageContaining("\"channel\" must be 1 to 128 letters, digits and _ - . : @ /");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"join\",\"channel\":\"" + "x".repeat(129) + "\"}"))
                .hasMessageContaining("\"channel\" must be");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"publish\",\"channel\":\"group:42\"}"))
                .hasMessageContaining("publish needs \"data\"");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"publish\",\"channel\":\"group:42\",\"data\":null}"))
                .hasMessageContaining("publish needs \"data\"");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"presence\"}"))
                .hasMessageContaining("expected one of auth, subscribe, unsubscribe, ping, join, publish, leave");
    }
}
