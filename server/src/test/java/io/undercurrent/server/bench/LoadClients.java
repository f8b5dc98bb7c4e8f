package io.undercurrent.server.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many WebSocket clients on one selector thread, run in a JVM of their own so that they do not
 * weigh on the heap being measured. Each connects (token in the upgrade's {@code Authorization}
 * header), subscribes to one live query, and then either reads on (idle: it waits for its snapshot
 * and stays connected) or stops reading once the server has started sending its snapshot (slow: the
 * snapshot stays unsent in the server). Prints {@code ready <n> <bytes>} once every client is in
 * that state, then waits to be killed.
 *
 * <pre>LoadClients ws://host:port/v1/live TOKEN idle|slow COUNT OWNER_PREFIX</pre>
 */
public final class LoadClients {

    /** Connections between connect and their snapshot at a time: more would overflow the listen backlog. */
    private static final int IN_FLIGHT = 200;

    private final URI url;
    private final String token;
    private final boolean slow;
    private final String owner;
    private int done;
    private long unreadBytes;

    private LoadClients(URI url, String token, boolean slow, String owner) {
        this.url = url;
        this.token = token;
        this.slow = slow;
        this.owner = owner;
    }

    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[3]);
        new LoadClients(URI.create(args[0]), args[1], "slow".equals(args[2]), args[4]).run(count);
    }

    /** One connection's progress through handshake, ready and snapshot. */
    private final class Client {
        final int n;
        final ByteBuffer in = ByteBuffer.allocate(8 * 1024);
        boolean upgraded;
        int framesRead;
        boolean finished;

        Client(int n) {
            this.n = n;
        }

        void connected(SocketChannel channel) throws IOException {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            write(
                    channel,
                    ("GET " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                                    + Base64.getEncoder().encodeToString(nonce)
                                    + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
        }

        /** Returns true once this client reached its final state. */
        boolean readable(SocketChannel channel) throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("client " + n + ": the server closed the connection");
            }
            in.flip();
            try {
                if (!upgraded) {
                    String head =
                            StandardCharsets.US_ASCII.decode(in.duplicate()).toString();
                    int end = head.indexOf("\r\n\r\n");
                    if (end < 0) {
                        return false;
                    }
                    if (!head.startsWith("HTTP/1.1 101")) {
                        throw new IOException("client " + n + ": no upgrade: "
                                + head.lines().findFirst().orElse(""));
                    }
                    in.position(end + 4);
                    upgraded = true;
                    String where = slow ? owner : owner + n;
                    write(
                            channel,
                            textFrame(
                                    "{\"type\":\"subscribe\",\"id\":\"q\",\"table\":\"public.todos\",\"where\":{\"owner_id\":{\"eq\":\""
                                            + where + "\"}}}"));
                }
                return frames();
            } finally {
                in.compact();
            }
        }

        /** Consumes whole frames: ready first, then the snapshot (or, for a slow client, its header only). */
        private boolean frames() throws IOException {
            while (in.remaining() >= 2) {
                int start = in.position();
                in.get();
                int len = in.get() & 0x7F;
                long length = len;
                if (len == 126) {
                    if (in.remaining() < 2) {
                        in.position(start);
                        return false;
                    }
                    length = in.getShort() & 0xFFFF;
                } else if (len == 127) {
                    if (in.remaining() < 8) {
                        in.position(start);
                        return false;
                    }
                    length = in.getLong();
                }
                if (framesRead == 1 && slow) {
                    unreadBytes += length; // the snapshot: stop here and leave it in the server
                    return true;
                }
                if (in.remaining() < length) {
                    if (length > in.capacity()) {
                        throw new IOException("client " + n + ": unexpected large frame of " + length + " bytes");
                    }
                    in.position(start);
                    return false;
                }
                byte[] payload = new byte[(int) length];
                in.get(payload);
                String text = new String(payload, StandardCharsets.UTF_8);
                if (text.contains("\"error\"")) {
                    throw new IOException("client " + n + ": " + text);
                }
                framesRead++;
                if (framesRead == 2) {
                    return true; // ready, then the snapshot
                }
            }
            return false;
        }
    }

    private void run(int count) throws IOException {
        Selector selector = Selector.open();
        InetSocketAddress server = new InetSocketAddress(url.getHost(), url.getPort());
        int started = 0;
        int inFlight = 0;
        while (done < count) {
            while (started < count && inFlight < IN_FLIGHT) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                // A small receive buffer, so a slow client's unread bytes stay in the server rather than in this
                // kernel.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                channel.connect(server);
                channel.register(selector, SelectionKey.OP_CONNECT, new Client(started++));
                inFlight++;
            }
            selector.select(1_000);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                Client client = (Client) key.attachment();
                if (key.isConnectable()) {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    client.connected(channel);
                } else if (key.isReadable() && !client.finished && client.readable(channel)) {
                    client.finished = true;
                    done++;
                    inFlight--;
                    if (slow) {
                        key.interestOps(0); // never read again
                    }
                } else if (key.isReadable() && client.finished) {
                    client.in.clear();
                    if (channel.read(client.in) < 0) {
                        throw new IOException("client " + client.n + ": the server closed the connection");
                    }
                    client.in.clear();
                }
            }
            selector.selectedKeys().clear();
        }
        System.out.println("ready " + done + " " + unreadBytes);
        System.out.flush();
        while (true) {
            // Idle clients keep draining whatever arrives; slow ones read nothing.
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                Client client = (Client) key.attachment();
                client.in.clear();
                if (((SocketChannel) key.channel()).read(client.in) < 0) {
                    key.cancel();
                }
                client.in.clear();
            }
            selector.selectedKeys().clear();
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer); // small frames on a fresh connection: the socket takes them at once
        }
    }

    /** A masked client text frame (payload under 64 KiB). */
    private static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 8);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        byte[] out = new byte[frame.position()];
        frame.flip().get(out);
        return out;
    }
}
