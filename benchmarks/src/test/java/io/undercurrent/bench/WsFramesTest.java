package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WsFramesTest {

    @Test
    void aClientFrameIsMaskedAndItsPayloadComesBackWithTheMask() {
        byte[] payload = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = WsFrames.clientText(payload, 0x01020304);
        assertThat(frame.get(0) & 0xff).isEqualTo(0x81);
        assertThat(frame.get(1) & 0xff).isEqualTo(0x80 | payload.length);
        byte[] key = {1, 2, 3, 4};
        for (int i = 0; i < payload.length; i++) {
            assertThat((byte) (frame.get(6 + i) ^ key[i & 3])).isEqualTo(payload[i]);
        }
        assertThat(WsFrames.frameLength(frame)).isEqualTo(frame.remaining());
    }

    @Test
    void readsTheThreeLengthFormsOfAServerFrame() {
        assertThat(WsFrames.frameLength(serverFrame(5))).isEqualTo(2 + 5);
        assertThat(WsFrames.frameLength(serverFrame(300))).isEqualTo(4 + 300);
        assertThat(WsFrames.frameLength(serverFrame(70_000))).isEqualTo(10 + 70_000);
    }

    @Test
    void anIncompleteHeaderIsNotAFrameYet() {
        ByteBuffer partial = ByteBuffer.wrap(new byte[] {(byte) 0x81, 126, 1});
        assertThat(WsFrames.frameLength(partial)).isEqualTo(-1);
        assertThat(WsFrames.frameLength(ByteBuffer.wrap(new byte[] {(byte) 0x81})))
                .isEqualTo(-1);
    }

    private static ByteBuffer serverFrame(int length) {
        ByteBuffer b = ByteBuffer.allocate(10 + length);
        b.put((byte) 0x81);
        if (length < 126) {
            b.put((byte) length);
        } else if (length < 65_536) {
            b.put((byte) 126).putShort((short) length);
        } else {
            b.put((byte) 127).putLong(length);
        }
        b.put(new byte[length]);
        return b.flip();
    }
}
