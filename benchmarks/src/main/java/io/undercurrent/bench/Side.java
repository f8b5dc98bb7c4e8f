package io.undercurrent.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One system under test as its clients see it: their connections (on a selector thread of their
 * own, so one side's traffic never delays the other's clients), and the latency from a row's commit
 * returning to the writer to the row reaching each client that subscribed to it.
 */
final class Side implements SocketClients.Listener, AutoCloseable {

    private static final byte[] CHANGES = Titles.typeField("changes");
    private static final byte[] ERROR = Titles.typeField("error");
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final byte[] readyType;
    private final ProbeLog probes;
    private final SocketClients clients;
    private final CountDownLatch ready;
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final List<SocketClients.Connection> connections = new ArrayList<>();

    // guarded by this; written on the selector thread
    private final Histogram latency = new Histogram(3);
    private final Histogram fromReturn = new Histogram(3);
    private final List<Histogram> windows = new ArrayList<>();
    private final List<long[]> early = new ArrayList<>();
    private final long[] firstReceived;
    private long windowStart;
    private long timed;
    private long rows;
    private long bulkRows;
    private long measuredRows;
    private long lastArrival;
    /** The arrival time of the frame being scanned (selector thread only), so the row sink needs no capture. */
    private long frameNanos;

    private final Titles.Sink sink = this::row;

    Side(String name, String readyType, ProbeLog probes, int connections) {
        this.name = name;
        this.readyType = Titles.typeField(readyType);
        this.probes = probes;
        this.clients = new SocketClients("clients-" + name.replace(' ', '-'));
        this.ready = new CountDownLatch(connections);
        this.firstReceived = new long[probes.capacity()];
    }

    String name() {
        return name;
    }

    void connect(URI uri, Map<String, String> headers, String subscribeFrame) {
        SocketClients.Connection c = clients.connect(uri, headers, List.of(subscribeFrame), this);
        synchronized (this) {
            connections.add(c);
        }
    }

    void awaitReady(long seconds) throws InterruptedException {
        if (!ready.await(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    name + ": " + ready.getCount() + " clients did not get their first result within " + seconds
                            + " s (" + closed.get() + " connections closed; see the messages above)");
        }
    }

    /** Sends a frame on every connection (keeps them from idling out). */
    synchronized void broadcast(String frame) {
        connections.forEach(c -> c.send(frame));
    }

    /** Starts the measured phase: forgets what was recorded so far; windows count from {@code startNanos}. */
    synchronized void startMeasuring(long startNanos) {
        latency.reset();
        fromReturn.reset();
        windows.clear();
        early.clear();
        windowStart = startNanos;
        timed = 0;
        rows = 0;
        bulkRows = 0;
        measuredRows = 0;
    }

    @Override
    public void onText(SocketClients.Connection connection, byte[] bytes, int offset, int length, long receivedNanos) {
        if (Titles.isType(bytes, offset, length, CHANGES)) {
            frameNanos = receivedNanos;
            Titles.scan(bytes, offset, length, sink);
        } else if (connection.tag == null && Titles.isType(bytes, offset, length, readyType)) {
            connection.tag = Boolean.TRUE;
            ready.countDown();
        } else if (Titles.isType(bytes, offset, length, ERROR) && errors.incrementAndGet() <= 5) {
            System.err.println(name + ": error frame: "
                    + new String(bytes, offset, Math.min(length, 300), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private synchronized void row(byte kind, long seq) {
        long receivedNanos = frameNanos;
        rows++;
        lastArrival = receivedNanos;
        if (kind == 'p' || kind == 'x') {
            measuredRows++;
        }
        if (kind == 'b') {
            bulkRows++;
        } else if (kind == 'p') {
            if (seq < firstReceived.length && firstReceived[(int) seq] == 0) {
                firstReceived[(int) seq] = receivedNanos;
            }
            long issued = probes.issuedNanos(seq);
            if (issued == 0) {
                return; // not a row of this run
            }
            long micros = Math.max(0, receivedNanos - issued) / 1_000;
            latency.recordValue(micros);
            timed++;
            int window = (int) Math.max(0, (issued - windowStart) / WINDOW_NANOS);
            while (windows.size() <= window) {
                windows.add(new Histogram(3));
            }
            windows.get(window).recordValue(micros);
            long committed = probes.committedNanos(seq);
            if (committed == 0) {
                early.add(new long[] {seq, receivedNanos});
            } else {
                fromReturn.recordValue(Math.max(0, receivedNanos - committed) / 1_000);
            }
        }
    }

    @Override
    public void onClosed(SocketClients.Connection connection, String why) {
        if (closed.incrementAndGet() <= 5) {
            System.err.println(name + ": a connection closed: " + why);
        }
    }

    /** Timed deliveries so far. */
    synchronized long timed() {
        return timed;
    }

    /** Rows of the measured phase delivered so far, timed or not, to all clients. */
    synchronized long measuredRows() {
        return measuredRows;
    }

    synchronized long bulkRows() {
        return bulkRows;
    }

    synchronized long lastArrival() {
        return lastArrival;
    }

    int closedConnections() {
        return closed.get();
    }

    /** Commit issued → client, in microseconds: from the writer sending its autocommit insert. */
    synchronized Histogram latency() {
        return latency.copy();
    }

    /**
     * Commit returned → client, in microseconds: from the writer seeing its commit return. A row that
     * reached a client before that counts as zero.
     */
    synchronized Histogram latencyFromReturn() {
        for (long[] e : early) {
            long committed = probes.committedNanos(e[0]);
            if (committed != 0) {
                fromReturn.recordValue(Math.max(0, e[1] - committed) / 1_000);
            }
        }
        early.clear();
        return fromReturn.copy();
    }

    /** Latency (from the commit being issued) by ten-second window since the measured phase started. */
    synchronized List<Histogram> windows() {
        List<Histogram> copy = new ArrayList<>();
        windows.forEach(h -> copy.add(h.copy()));
        return copy;
    }

    /** When each timed row first reached a client ({@code nanoTime}; 0 when it did not), by seq. */
    synchronized long[] firstReceived() {
        return firstReceived.clone();
    }

    @Override
    public void close() {
        clients.close();
    }
}
