package io.undercurrent.router;

import io.undercurrent.bus.kafka.LocalDeliveries;
import io.undercurrent.router.internal.RouterLoop;
import io.undercurrent.rules.RuleSet;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes changes to subscribers: reads the change topics as a member of the routers' consumer group,
 * matches every change against the subscriptions of its table, applies the rules and writes the
 * resulting deltas to the delivery topic of the edge holding each subscriber.
 *
 * <p>All routing happens on one thread per router; scale out by running more routers, which split
 * the change partitions. A failure of that thread is reported by {@link #health()} and the loop is
 * started again after a pause, resuming from the last committed change offset.
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouterSettings settings;
    private final RouterLoop loop;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);

    /**
     * @param rules gives the rules in force; read once per batch of changes, so a reload takes effect
     *              between batches and every delta is judged with one consistent rule set
     */
    public Router(RouterSettings settings, Supplier<RuleSet> rules, Clock clock) {
        this(settings, rules, clock, LookupSync.NONE);
    }

    /**
     * @param rules      as above
     * @param lookupSync waited on before judging changes whose rules look other tables up, so they are
     *                   judged against lookup tables holding every change captured before them
     */
    public Router(RouterSettings settings, Supplier<RuleSet> rules, Clock clock, LookupSync lookupSync) {
        this(settings, rules, clock, lookupSync, LocalDeliveries.NONE);
    }

    /**
     * @param rules      as above
     * @param lookupSync as above
     * @param local      the edge in this process, whose deliveries skip Kafka (see {@link LocalDeliveries});
     *                   {@link LocalDeliveries#NONE} to send every delivery through Kafka
     */
    public Router(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            LookupSync lookupSync,
            LocalDeliveries local) {
        this(settings, rules, clock, lookupSync, local, null);
    }

    /**
     * @param rules      as above
     * @param lookupSync as above
     * @param local      as above
     * @param tap        where ingest in this process offers the changes Kafka acknowledged to it, routed
     *                   without waiting for the consumer to read them; null to read changes through the
     *                   consumer only
     */
    public Router(
            RouterSettings settings,
            Supplier<RuleSet> rules,
            Clock clock,
            LookupSync lookupSync,
            LocalDeliveries local,
            LocalChangeTap tap) {
        this.settings = settings;
        // The loop's pauses end at once when the router closes.
        this.loop = new RouterLoop(
                settings,
                rules,
                clock,
                d -> closing.await(d.toMillis(), TimeUnit.MILLISECONDS),
                lookupSync,
                local,
                tap == null ? null : tap.inbox());
        this.thread = new Thread(loop, "router-" + settings.routerId());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        LOG.info(
                "router '{}' started (group {}, topics {}.*)",
                settings.routerId(),
                settings.groupId(),
                settings.topics().prefix());
    }

    public RouterHealth health() {
        return loop.health();
    }

    /** Stops routing; offsets of routed changes are committed; bounded in time. */
    @Override
    public void close() {
        loop.stop();
        closing.countDown();
        try {
            thread.join(15_000);
            if (thread.isAlive()) {
                LOG.warn("router '{}' did not stop within 15 s", settings.routerId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
