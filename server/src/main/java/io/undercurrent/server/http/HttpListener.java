package io.undercurrent.server.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One HTTP/1.1 listener (WebSocket upgrades included), assembled from Undertow's parts the way
 * {@link Undertow#start()} assembles it, with one difference: accepted connections pass through a
 * {@link ConnectionCap} before Undertow sees them, which {@code Undertow.builder()} offers no place
 * for. Worker threads, buffers and socket options are Undertow's defaults.
 */
final class HttpListener {

    private static final int BUFFER_SIZE = 16 * 1024 - 20;

    private final String host;
    private final int port;
    private final HttpHandler root;
    private final HttpLimits limits;
    private XnioWorker worker;
    private AcceptingChannel<StreamConnection> channel;
    private ConnectionCap cap;

    HttpListener(String host, int port, HttpHandler root, HttpLimits limits) {
        this.host = host;
        this.port = port;
        this.root = root;
        this.limits = limits;
    }

    /** Binds and starts accepting; returns the bound address. */
    InetSocketAddress start() {
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader())
                    .createWorker(OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 8)
                            .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 8)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.CORK, true)
                            .getMap());
            int timeoutMillis = Math.toIntExact(limits.requestTimeout().toMillis());
            OptionMap protocol = OptionMap.builder()
                    .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                    // A connection that sends nothing, or never finishes its request head (slowloris),
                    // is closed: it would otherwise hold a descriptor and a buffer for ever.
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, timeoutMillis)
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, timeoutMillis)
                    .getMap();
            ByteBufferPool buffers = new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4);
            HttpOpenListener open = new HttpOpenListener(buffers, protocol);
            open.setRootHandler(root);
            cap = new ConnectionCap(open, limits.maxConnections());
            ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(cap);
            channel = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port),
                    accept,
                    OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BALANCING_TOKENS, 1)
                            .set(Options.BALANCING_CONNECTIONS, 2)
                            .set(Options.BACKLOG, 1000)
                            .getMap());
            channel.resumeAccepts();
            return channel.getLocalAddress(InetSocketAddress.class);
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    int openConnections() {
        return cap == null ? 0 : cap.open();
    }

    long refusedConnections() {
        return cap == null ? 0 : cap.refused();
    }

    void stop() {
        IoUtils.safeClose(channel);
        if (worker == null) {
            return;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
