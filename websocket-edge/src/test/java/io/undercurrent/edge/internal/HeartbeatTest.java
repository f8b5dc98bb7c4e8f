package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.change.Topics;
import io.undercurrent.edge.EdgeSettings;
import io.undercurrent.edge.protocol.ServerFrames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat keeps this edge's subscriptions alive at the routers, so nothing that happens on the
 * housekeeping thread may stop it: not a sweep that waits for a subscription's lock, not one that
 * throws an {@link Error}. And when routers could not hear the edge for longer than its TTL all the
 * same, its live queries register again once a heartbeat gets through.
 */
class HeartbeatTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** Short, so that real threads beat every 10 ms and the test needs no manual timer. */
    private static final long TTL_MS = 30;

    private final EdgeSettings settings = EdgeSettings.defaults("e1", "127.0.0.1:9", new Topics("t"), "app");
    private final List<Thread> housekeepingThreads = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "test-housekeeping");
        housekeepingThreads.add(t);
        return t;
    });
    private final List<Long> sent = new ArrayList<>();
    private Heartbeat heartbeat;

    @AfterEach
    void stop() {
        housekeeping.shutdownNow();
        if (heartbeat != null) {
            heartbeat.close();
        }
    }

    private synchronized CompletableFuture<Void> send(long now, long ttlMs) {
        sent.add(now);
        return CompletableFuture.completedFuture(null);
    }

    private synchronized int beats() {
        return sent.size();
    }

    @Test
    void heartbeatsGoOnWhileASweepWaitsForASubscriptionsLock() {
        SubscriptionTable table = new SubscriptionTable();
        EdgeSubscription registering = registering("q1");
        table.add(registering);
        LiveQueries liveQueries = liveQueries(table);
        AtomicInteger sweeps = new AtomicInteger();
        Map<String, ClientConnection> connections = new ConcurrentHashMap<>() {
            @Override
            public Collection<ClientConnection> values() {
                sweeps.incrementAndGet();
                return super.values();
            }
        };
        heartbeat = new Heartbeat(this::send, Clock.systemUTC(), TTL_MS, () -> {});

        // The delivery thread holds a subscription while it writes to a client; here it never lets go.
        synchronized (registering) {
            housekeeping.scheduleWithFixedDelay(
                    new Sweeper(settings, connections, liveQueries, Clock.systemUTC()), 0, 5, TimeUnit.MILLISECONDS);
            await().atMost(PROMPTLY).until(() -> sweeps.get() == 1 && housekeepingWaitsForALock());
            heartbeat.start();

            await().atMost(PROMPTLY)
                    .alias("heartbeats while the housekeeping thread waits")
                    .until(() -> beats() >= 3);
            assertThat(sweeps).as("the sweep is still stuck").hasValue(1);
        }
        await().atMost(PROMPTLY).alias("sweeps resume once the lock is free").until(() -> sweeps.get() > 1);
    }

    @Test
    void aSweepThatThrowsAnErrorDoesNotStopTheNextSweeps() {
        AtomicInteger sweeps = new AtomicInteger();
        Map<String, ClientConnection> connections = new ConcurrentHashMap<>() {
            @Override
            public Collection<ClientConnection> values() {
                if (sweeps.incrementAndGet() == 1) {
                    throw new StackOverflowError("thrown by the test");
                }
                return super.values();
            }
        };
        housekeeping.scheduleWithFixedDelay(
                new Sweeper(settings, connections, liveQueries(new SubscriptionTable()), Clock.systemUTC()),
                0,
                5,
                TimeUnit.MILLISECONDS);

        await().atMost(PROMPTLY)
                .alias("a periodic task that throws is never run again")
                .until(() -> sweeps.get() >= 3);
    }

    @Test
    void aHeartbeatThatThrowsAnErrorDoesNotStopTheNextHeartbeats() {
        AtomicInteger attempts = new AtomicInteger();
        heartbeat = new Heartbeat(
                (now, ttl) -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new NoClassDefFoundError("thrown by the test");
                    }
                    return send(now, ttl);
                },
                Clock.systemUTC(),
                TTL_MS,
                () -> {});
        heartbeat.start();

        await().atMost(PROMPTLY).until(() -> beats() >= 3);
    }

    @Test
    void liveQueriesRegisterAgainOnceAHeartbeatGetsThroughAfterMoreThanTheTtl() {
        ManualClock clock = new ManualClock(0);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        AtomicInteger restarts = new AtomicInteger();
        Heartbeat stepped = new Heartbeat(
                (now, ttl) -> {
                    CompletableFuture<Void> ack = new CompletableFuture<>();
                    pending.add(ack);
                    return ack;
                },
                clock,
                30_000,
                restarts::incrementAndGet);

        stepped.beat(); // t = 0
        pending.get(0).complete(null);
        for (int i = 1; i <= 3; i++) { // t = 10, 20, 30 s: Kafka refuses them
            clock.advance(10_000);
            stepped.beat();
            pending.get(i).completeExceptionally(new IllegalStateException("Kafka unavailable"));
        }
        assertThat(restarts).as("nothing is known to be lost yet").hasValue(0);

        clock.advance(10_000); // t = 40 s: 40 s since routers last heard the edge
        stepped.beat();
        pending.get(4).complete(null);
        assertThat(restarts).hasValue(1);

        clock.advance(10_000);
        stepped.beat();
        pending.get(5).complete(null);
        assertThat(restarts).as("heartbeats a third of the TTL apart").hasValue(1);
    }

    @Test
    void heartbeatsATtlApartOrLessRestartNothing() {
        ManualClock clock = new ManualClock(0);
        AtomicInteger restarts = new AtomicInteger();
        Heartbeat stepped = new Heartbeat(
                (now, ttl) -> CompletableFuture.completedFuture(null), clock, 30_000, restarts::incrementAndGet);
        stepped.beat();
        clock.advance(30_000);
        stepped.beat();
        clock.advance(10_000);
        stepped.beat();

        assertThat(restarts).hasValue(0);
    }

    private boolean housekeepingWaitsForALock() {
        return housekeepingThreads.stream().anyMatch(t -> t.getState() == Thread.State.BLOCKED);
    }

    private LiveQueries liveQueries(SubscriptionTable table) {
        return new LiveQueries(
                settings,
                Map.of(),
                null,
                null,
                null,
                table,
                () -> null,
                Runnable::run,
                housekeeping,
                Clock.systemUTC(),
                new ServerFrames());
    }

    private static EdgeSubscription registering(String queryId) {
        return TodoSubscriptions.open(new SubscriptionId("e1", "c1", queryId));
    }
}
