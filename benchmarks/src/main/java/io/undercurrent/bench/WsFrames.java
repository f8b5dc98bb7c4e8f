package io.undercurrent.bench;

import java.nio.ByteBuffer;

/** The bits of RFC 6455 framing a client needs: masked frames out, unmasked frames in. */
final class WsFrames {

    private WsFrames() {}

    static ByteBuffer clientText(byte[] payload, int mask) {
        return clientFrame(0x1, payload, mask);
    }

    static ByteBuffer clientControl(int opcode, byte[] payload, int mask) {
        return clientFrame(opcode, payload, mask);
    }

    private static ByteBuffer clientFrame(int opcode, byte[] payload, int mask) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n < 65_536 ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + n);
        frame.put((byte) (0x80 | opcode));
        if (lengthBytes == 0) {
            frame.put((byte) (0x80 | n));
        } else if (lengthBytes == 2) {
            frame.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        frame.put(key);
        for (int i = 0; i < n; i++) {
            frame.put((byte) (payload[i] ^ key[i & 3]));
        }
        return frame.flip();
    }

    /**
     * The whole length of the frame at the buffer's position (header and payload), or -1 when even
     * the header is not there yet. Does not move the position.
     */
    static int frameLength(ByteBuffer in) {
        int available = in.remaining();
        if (available < 2) {
            return -1;
        }
        int header = headerLength(in);
        if (available < header) {
            return -1;
        }
        return header + payloadLength(in);
    }

    static int headerLength(ByteBuffer in) {
        int b1 = in.get(in.position() + 1) & 0xff;
        int len7 = b1 & 0x7f;
        int masked = (b1 & 0x80) != 0 ? 4 : 0;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + masked;
    }

    /** The payload length; the header must be complete. */
    static int payloadLength(ByteBuffer in) {
        int p = in.position();
        int len7 = in.get(p + 1) & 0x7f;
        if (len7 < 126) {
            return len7;
        }
        if (len7 == 126) {
            return in.getShort(p + 2) & 0xffff;
        }
        long n = in.getLong(p + 2);
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a frame of " + n + " bytes is more than this client reads");
        }
        return (int) n;
    }
}
