package io.undercurrent.edge.internal;

import io.undercurrent.bus.BusCodec;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.EdgeHealth;
import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.CloseCode;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.SourceReader;
import io.undertow.server.HttpHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parts of one edge node and their lifecycle, behind {@link io.undercurrent.edge.EdgeNode}. */
public final class EdgeComponents {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeComponents.class);

    private final EdgeSettings settings;
    private final Clock clock;
    private final ServerFrames frames = new ServerFrames();
    private final BusCodec codec = new BusCodec();
    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final SubscriptionTable table = new SubscriptionTable();
    private final EdgeBus bus;
    private final ExecutorService workers;
    private final ScheduledExecutorService housekeeping;
    private final LiveQueries liveQueries;
    private final LocalInbox inbox;
    private final DeliveryLoop deliveries;
    private final DeliveryWatchdog watchdog;
    private final Heartbeat heartbeat;
    private final HttpHandler liveHandler;
    private final HttpHandler liveEventsHandler;
    private final Presence presence;
    private final ChannelBus channelBus;
    private final Heartbeat channelHeartbeat;
    private final Channels channels;
    private Thread deliveryThread;
    private Thread channelThread;

    /**
     * @param verifier verifies client tokens
     * @param readers  the source readers by source name; the caller owns and closes them
     * @param observer hears read durations and commit-to-socket latencies
     */
    public EdgeComponents(
            EdgeSettings settings,
            TokenVerifier verifier,
            Map<String, SourceReader> readers,
            Supplier<RuleSet> rules,
            Clock clock,
            EdgeObserver observer) {
        this(
                settings,
                ChannelSettings.DEFAULTS,
                verifier,
                readers,
                rules,
                clock,
                observer,
                io.undercurrent.edge.LookupReads.NONE);
    }

    /**
     * @param channelSettings limits of ephemeral channels (presence, typing)
     * @param lookupReads makes reads judged by rules that look other tables up exact
     */
    public EdgeComponents(
            EdgeSettings settings,
            ChannelSettings channelSettings,
            TokenVerifier verifier,
            Map<String, SourceReader> readers,
            Supplier<RuleSet> rules,
            Clock clock,
            EdgeObserver observer,
            io.undercurrent.edge.LookupReads lookupReads) {
        this.settings = settings;
        this.clock = clock;
        this.bus = new EdgeBus(settings, codec);
        // Bounded: a flood of subscribes queues at most this many; the rest are refused (abort policy),
        // and LiveQueries answers those clients 'overloaded'. Never caller-runs: the callers are IO
        // threads and the delivery thread, and this work reads the database.
        this.workers = new ThreadPoolExecutor(
                2,
                settings.workerThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workerQueue()),
                r -> daemon(r, "edge-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "edge-housekeeping"));
        timers.setRemoveOnCancelPolicy(true); // every token refresh cancels an expiry timer; drop it at once
        this.housekeeping = timers;
        SchemaCache schemas =
                new SchemaCache(readers, clock, settings.schemaCacheTtl().toMillis());
        SnapshotSource snapshots = new SettledSnapshots(
                new TimedSnapshots(
                        new SnapshotReader(
                                readers, clock, settings.maxSnapshotRows(), frames, settings.maxPendingBytes()),
                        readers.keySet(),
                        observer),
                lookupReads);
        this.liveQueries = new LiveQueries(
                settings,
                readers,
                schemas,
                snapshots,
                bus,
                table,
                rules,
                workers,
                housekeeping,
                clock,
                frames,
                new PositionCodec(settings.resumeSecret(), settings.topics().prefix()),
                new ResumeReplay(new KafkaChangeHistory(settings)));
        liveQueries.lookupReads(lookupReads);
        DeliveryDispatcher dispatcher = new DeliveryDispatcher(
                table,
                codec,
                sub -> liveQueries.startSnapshot(sub, connections.get(sub.id().connectionId())));
        this.watchdog = new DeliveryWatchdog(clock, settings.deliveryStallTimeout());
        this.inbox = new LocalInbox(settings.topics().edge(settings.edgeId()));
        this.deliveries = DeliveryLoop.builder(
                        bus::deliveries,
                        dispatcher,
                        () -> soon(() ->
                                liveQueries.restartAll(connections, "deliveries were interrupted; starting over")))
                .backoff(settings.deliveryRetryBackoff(), settings.deliveryRetryBackoffMax())
                .progress(watchdog::beat)
                .inbox(inbox)
                .build();
        this.heartbeat = new Heartbeat(
                bus::heartbeat,
                clock,
                settings.heartbeatTtl().toMillis(),
                () -> soon(() -> liveQueries.restartAll(
                        connections, "routers may have dropped this edge's subscriptions; starting over")));
        // A node is one run of this edge: a restart under the same edge id must not revive the presence
        // its previous run left on the topic, which other nodes expire once that run's heartbeats stop.
        String node = settings.edgeId() + "." + HexFormat.of().formatHex(randomBytes(4));
        long ttlMs = settings.heartbeatTtl().toMillis();
        this.presence = new Presence(node, frames, ttlMs);
        this.channelBus = new ChannelBus(settings, node, codec, presence, clock);
        this.channels = new Channels(
                channelSettings, node, frames, rules, presence, channelBus, clock, lookupReads, this::soon);
        this.channelHeartbeat = new Heartbeat(channelBus::heartbeat, clock, ttlMs, () -> {
            // Other nodes may have forgotten this one's clients: announce them again.
            presence.local(clock.millis()).forEach(channelBus::join);
        });
        TokenExpiry expiry = new TokenExpiry(housekeeping);
        FrameHandler handler = new FrameHandler(settings, frames, verifier, liveQueries, expiry, clock, channels);
        this.liveEventsHandler = new LiveEvents(
                settings, connections, verifier, liveQueries, expiry, frames, clock, this::soon, observer);
        this.liveHandler = WebSocketUpgrade.handler(
                new LiveSocket(settings, connections, handler, liveQueries, this::soon, frames, clock, observer));
    }

    public void start() {
        bus.ensureTopics();
        deliveries.open();
        deliveryThread = daemon(deliveries, "edge-deliveries");
        watchdog.watch(deliveryThread);
        deliveryThread.start();
        heartbeat.start();
        channelBus.open();
        channelThread = daemon(channelBus, "edge-channels");
        channelThread.start();
        channelHeartbeat.start();
        try {
            if (!channelBus.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.warn(
                        "edge '{}' has not read who is present in channels within 30 s; joins may show"
                                + " fewer clients until it has",
                        settings.edgeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.scheduleWithFixedDelay(
                new Sweeper(settings, connections, liveQueries, clock), 1, 1, TimeUnit.SECONDS);
        LOG.info("edge '{}' ready", settings.edgeId());
    }

    /** Where a router in this process hands this edge's deliveries directly (see {@link LocalInbox}). */
    public io.undercurrent.bus.kafka.LocalDeliveries localDeliveries() {
        return inbox;
    }

    public HttpHandler liveHandler() {
        return liveHandler;
    }

    public HttpHandler liveEventsHandler() {
        return liveEventsHandler;
    }

    public void lookupsChanged(Set<TableRef> lookedUp) {
        liveQueries.lookupsChanged(lookedUp);
        soon(() -> channels.lookupsChanged(lookedUp));
    }

    /** Every reload, even one that changed no table's rule: channel rules may have changed. */
    public void rulesChanged(Set<TableRef> tables) {
        soon(() -> liveQueries.rulesChanged(tables, connections));
        soon(channels::rulesChanged);
    }

    /**
     * Runs work that must not be lost (every live query starting over, the end of a closed
     * connection's live queries) on a worker; while the workers refuse it, tries again every 100 ms
     * from the housekeeping thread, which never runs it itself.
     */
    private void soon(Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            if (!housekeeping.isShutdown()) {
                housekeeping.schedule(() -> soon(work), 100, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Not up while the delivery thread fails, or while it is stuck ({@link DeliveryWatchdog}). */
    public EdgeHealth health() {
        // a failing loop pauses on purpose between attempts, and its error says so already
        String stall = deliveries.lastError() == null ? watchdog.stall() : null;
        ChannelBus.Failure channelFailure = channelBus.failure();
        return new EdgeHealth(
                deliveries.running() && stall == null,
                deliveries.ready() && stall == null,
                stall != null ? stall : deliveries.lastError(),
                connections.size(),
                table.size(),
                liveQueries.waitingForCapture(),
                deliveries.needsAction(),
                deliveries.lag(),
                channelFailure == null ? null : channelFailure.reason(),
                channelFailure == null ? null : java.time.Instant.ofEpochMilli(channelFailure.sinceMillis()));
    }

    public void close() {
        heartbeat.close(); // before the farewell, so that no heartbeat follows it
        channelHeartbeat.close();
        housekeeping.shutdownNow();
        for (ClientConnection connection : connections.values()) {
            // The HTTP server may have stopped its IO threads already, and then touching a socket throws:
            // every connection's live queries and channels still end, and the edge's Kafka clients
            // below still close, instead of lingering for the life of the process.
            quietly(
                    "closing a connection",
                    () -> connection.outbox().close(CloseCode.GOING_AWAY, "server draining; reconnect"));
            quietly("ending a connection's live queries", () -> liveQueries.closeAll(connection));
            quietly("taking a connection out of its channels", () -> channels.closeAll(connection));
        }
        try {
            channelBus.farewell().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn(
                    "edge '{}' could not tell other edges its clients left channels: {}",
                    settings.edgeId(),
                    e.getMessage());
        }
        channelBus.close();
        join(channelThread);
        channelBus.closeProducer();
        try {
            bus.farewell().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("edge '{}' could not tell routers it is leaving: {}", settings.edgeId(), e.getMessage());
        }
        deliveries.stop();
        join(deliveryThread);
        workers.shutdownNow();
        bus.close();
    }

    private void quietly(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("edge '{}' stopping: {} failed: {}", settings.edgeId(), what, e.toString());
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
