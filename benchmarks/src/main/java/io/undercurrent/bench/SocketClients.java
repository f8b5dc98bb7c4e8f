package io.undercurrent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many WebSocket client connections served by one selector thread, at a few hundred nanoseconds a
 * frame: frames are read straight from the socket into a per-connection buffer and handed to the
 * listener as bytes, never decoded to strings or parsed as JSON. Enough of RFC 6455 for a load
 * generator: text frames (fragmented or not), ping, close; no extensions.
 *
 * <p>Thread-safe: {@link #connect} and {@link Connection#send} may be called from any thread; the
 * listener is called on the selector thread only, so it must be quick.
 */
final class SocketClients implements AutoCloseable {

    /** What a connection receives, on the selector thread. */
    interface Listener {
        /** A complete text message: {@code bytes[offset, offset + length)}, valid only during the call. */
        void onText(Connection connection, byte[] bytes, int offset, int length, long receivedNanos);

        /** The connection is gone: closed by the server (with its close frame's code and reason) or failed. */
        void onClosed(Connection connection, String why);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    SocketClients(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Opens a connection; returns at once. The upgrade request carries {@code headers}; once the
     * server accepted it, {@code firstFrames} are sent in order.
     */
    Connection connect(URI uri, Map<String, String> headers, java.util.List<String> firstFrames, Listener listener) {
        Connection c = new Connection(uri, headers, firstFrames, listener);
        tasks.add(c::open);
        selector.wakeup();
        return c;
    }

    private void loop() {
        while (running) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isConnectable()) {
                            c.finishConnect();
                        }
                        if (key.isValid() && key.isWritable()) {
                            c.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            c.read();
                        }
                    } catch (IOException | RuntimeException e) {
                        c.fail(e.toString());
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client connection. Its state belongs to the selector thread. */
    final class Connection {
        private final URI uri;
        private final Map<String, String> headers;
        private final java.util.List<String> firstFrames;
        private final Listener listener;
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(4096);
        private boolean upgraded;
        private boolean closed;
        private byte[] fragments;
        private int fragmentLength;
        /** Free for the owner: which client this is. */
        volatile Object tag;

        private Connection(
                URI uri, Map<String, String> headers, java.util.List<String> firstFrames, Listener listener) {
            this.uri = uri;
            this.headers = headers;
            this.firstFrames = firstFrames;
            this.listener = listener;
        }

        /** Sends a text frame; may be called from any thread. */
        void send(String text) {
            ByteBuffer frame = WsFrames.clientText(
                    text.getBytes(StandardCharsets.UTF_8),
                    ThreadLocalRandom.current().nextInt());
            tasks.add(() -> enqueue(frame));
            selector.wakeup();
        }

        private void open() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                int port = uri.getPort() > 0 ? uri.getPort() : 80;
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                if (channel.connect(new InetSocketAddress(uri.getHost(), port))) {
                    finishConnect();
                }
            } catch (IOException e) {
                fail(e.toString());
            }
        }

        private void finishConnect() throws IOException {
            if (!channel.finishConnect()) {
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            StringBuilder request = new StringBuilder()
                    .append("GET ")
                    .append(uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(uri.getHost())
                    .append(':')
                    .append(uri.getPort())
                    .append(
                            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
                    .append(Base64.getEncoder().encodeToString(nonce))
                    .append("\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            enqueue(ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.US_ASCII)));
        }

        private void enqueue(ByteBuffer bytes) {
            if (closed) {
                return;
            }
            out.add(bytes);
            try {
                flush();
            } catch (IOException e) {
                fail(e.toString());
            }
        }

        private void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void read() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                fail("the server closed the connection");
                return;
            }
            long now = System.nanoTime();
            in.flip();
            if (!upgraded && !readUpgrade()) {
                in.compact();
                return;
            }
            while (!closed) {
                int needed = WsFrames.frameLength(in);
                if (needed < 0 || in.remaining() < needed) {
                    if (needed > in.capacity()) {
                        grow(needed);
                        return;
                    }
                    break;
                }
                frame(now);
            }
            if (!closed) {
                in.compact();
                if (!in.hasRemaining()) {
                    grow(in.capacity() * 2);
                }
            }
        }

        private void grow(int capacity) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, in.capacity() * 2));
            bigger.put(in);
            in = bigger;
        }

        private boolean readUpgrade() {
            byte[] a = in.array();
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    String head = new String(a, in.position(), i - in.position(), StandardCharsets.US_ASCII);
                    if (!head.startsWith("HTTP/1.1 101")) {
                        fail("upgrade refused: " + head.lines().findFirst().orElse(head));
                        return false;
                    }
                    in.position(i + 4);
                    upgraded = true;
                    for (String frame : firstFrames) {
                        enqueue(WsFrames.clientText(
                                frame.getBytes(StandardCharsets.UTF_8),
                                ThreadLocalRandom.current().nextInt()));
                    }
                    return true;
                }
            }
            return false;
        }

        /** Handles the complete frame at the buffer's position and moves past it. */
        private void frame(long now) throws IOException {
            byte[] a = in.array();
            int start = in.position();
            int header = WsFrames.headerLength(in);
            int length = WsFrames.payloadLength(in);
            int b0 = a[start] & 0xff;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            int payload = start + header;
            in.position(payload + length);
            switch (opcode) {
                case 0x1 -> {
                    if (fin) {
                        listener.onText(this, a, payload, length, now);
                    } else {
                        fragmentLength = 0;
                        append(a, payload, length);
                    }
                }
                case 0x0 -> {
                    append(a, payload, length);
                    if (fin) {
                        listener.onText(this, fragments, 0, fragmentLength, now);
                        fragmentLength = 0;
                    }
                }
                case 0x8 -> {
                    int code = length >= 2 ? ((a[payload] & 0xff) << 8) | (a[payload + 1] & 0xff) : 1005;
                    String reason = length > 2 ? new String(a, payload + 2, length - 2, StandardCharsets.UTF_8) : "";
                    fail("closed by the server: " + code + " " + reason);
                }
                case 0x9 ->
                    enqueue(WsFrames.clientControl(
                            0xA,
                            java.util.Arrays.copyOfRange(a, payload, payload + length),
                            ThreadLocalRandom.current().nextInt()));
                default -> {} // binary and pong frames carry nothing for us
            }
        }

        private void append(byte[] a, int offset, int length) {
            if (fragments == null || fragments.length < fragmentLength + length) {
                fragments = java.util.Arrays.copyOf(
                        fragments == null ? new byte[0] : fragments, Math.max(4096, (fragmentLength + length) * 2));
            }
            System.arraycopy(a, offset, fragments, fragmentLength, length);
            fragmentLength += length;
        }

        private void fail(String why) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // already failing
            }
            listener.onClosed(this, why);
        }
    }
}
