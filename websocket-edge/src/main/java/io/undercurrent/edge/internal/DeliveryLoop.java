package io.undercurrent.edge.internal;

import io.undercurrent.bus.Backoff;
import io.undercurrent.bus.Sleeper;
import io.undercurrent.bus.kafka.BusFailure;
import io.undercurrent.bus.kafka.KafkaFailures;
import io.undercurrent.edge.EdgeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's delivery thread, supervised: {@link #runOnce} reads one batch of this edge's delivery
 * topic and hands it to the dispatcher; {@link #run()} steps it and, when Kafka fails it, reports the
 * failure (health is not up), closes the feed, backs off and opens it again where it left off. When
 * retention has passed that offset, deliveries were lost, and every live query on the edge starts
 * over ({@code onGap}). Before, the first exception stopped the thread for good.
 */
final class DeliveryLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    /** How long one poll waits for deliveries; also bounds how late a stop is noticed. */
    static final Duration POLL = Duration.ofMillis(500);

    static final Duration MIN_BACKOFF = EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF;
    static final Duration MAX_BACKOFF = EdgeSettings.DEFAULT_DELIVERY_RETRY_BACKOFF_MAX;

    private final Supplier<DeliveryFeed> feeds;
    private final Consumer<List<ConsumerRecord<byte[], byte[]>>> dispatcher;
    private final Runnable onGap;
    private final Sleeper sleeper;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Runnable progress;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final LocalInbox inbox;
    private volatile DeliveryFeed feed;
    private volatile boolean running = true;
    private volatile boolean positioned;
    private volatile String lastError;
    private volatile boolean needsAction;
    private volatile long lag = -1;
    private long resumeAt = -1;

    private DeliveryLoop(Builder parts) {
        this.feeds = parts.feeds;
        this.dispatcher = parts.dispatcher;
        this.onGap = parts.onGap;
        this.sleeper = parts.sleeper != null ? parts.sleeper : d -> stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
        this.minBackoff = parts.minBackoff;
        this.maxBackoff = parts.maxBackoff;
        this.progress = parts.progress;
        this.inbox = parts.inbox != null ? parts.inbox : new LocalInbox(null);
    }

    /**
     * The parts every loop needs; the others default to what a loop without them does: backoff pauses
     * that {@link #stop()} ends, {@link #MIN_BACKOFF} to {@link #MAX_BACKOFF}, no watchdog, and an inbox
     * that nothing is handed to.
     *
     * @param feeds      opens the edge's delivery topic, again after each failure
     * @param dispatcher takes each batch, on the delivery thread
     * @param onGap      called when deliveries were lost and every live query on the edge starts over
     */
    static Builder builder(
            Supplier<DeliveryFeed> feeds, Consumer<List<ConsumerRecord<byte[], byte[]>>> dispatcher, Runnable onGap) {
        return new Builder(feeds, dispatcher, onGap);
    }

    /** The optional parts of a {@link DeliveryLoop}; see {@link DeliveryLoop#builder}. */
    static final class Builder {
        private final Supplier<DeliveryFeed> feeds;
        private final Consumer<List<ConsumerRecord<byte[], byte[]>>> dispatcher;
        private final Runnable onGap;
        private Sleeper sleeper;
        private Duration minBackoff = MIN_BACKOFF;
        private Duration maxBackoff = MAX_BACKOFF;
        private Runnable progress = () -> {};
        private LocalInbox inbox;

        private Builder(
                Supplier<DeliveryFeed> feeds,
                Consumer<List<ConsumerRecord<byte[], byte[]>>> dispatcher,
                Runnable onGap) {
            this.feeds = feeds;
            this.dispatcher = dispatcher;
            this.onGap = onGap;
        }

        /** Pauses between attempts; null (the default) for pauses that {@link DeliveryLoop#stop()} ends. */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * @param first   the first pause after a failure; doubles on each failure in a row
         * @param longest the longest pause, and the pace of retries of a failure that needs action
         */
        Builder backoff(Duration first, Duration longest) {
            this.minBackoff = first;
            this.maxBackoff = longest;
            return this;
        }

        /**
         * Called each time round the loop (at least every {@link DeliveryLoop#POLL} while it is not
         * stuck), for a {@link DeliveryWatchdog}.
         */
        Builder progress(Runnable progress) {
            this.progress = progress;
            return this;
        }

        /** What a router in this process hands over directly; dispatched on the delivery thread too. */
        Builder inbox(LocalInbox inbox) {
            this.inbox = inbox;
            return this;
        }

        DeliveryLoop build() {
            return new DeliveryLoop(this);
        }
    }

    /** Opens the feed at the end, on the caller's thread, so the edge accepts clients only once it is positioned. */
    void open() {
        long fences = inbox.issued();
        DeliveryFeed opened = feeds.get();
        feed = opened;
        opened.open(OptionalLong.empty());
        resumeAt = opened.position();
        inbox.open(fences, this::wakeFeed);
        positioned = true;
    }

    /** Makes a blocked poll return, for a record handed over directly; on the router's thread. */
    private void wakeFeed() {
        DeliveryFeed f = feed;
        if (f != null) {
            try {
                f.wakeup();
            } catch (RuntimeException e) {
                // a feed being closed after a failure: the next one polls the inbox first anyway
                LOG.debug("waking the delivery feed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(minBackoff, maxBackoff);
        while (running) {
            progress.run();
            try {
                if (feed == null) {
                    reopen();
                }
                while (running) {
                    runOnce(POLL);
                    progress.run();
                    if (lastError != null) {
                        LOG.info("edge deliveries flow again");
                        lastError = null;
                        needsAction = false;
                        backoff.reset();
                    }
                }
            } catch (WakeupException e) {
                // stop() woke the feed
            } catch (RuntimeException e) {
                BusFailure failure = KafkaFailures.classify(e);
                lastError = "deliveries interrupted: " + failure.getMessage();
                needsAction = !failure.retriable();
                Duration pause = failure.retriable() ? backoff.next() : backoff.max();
                LOG.error(
                        "edge delivery thread failed{}; reading again from offset {} in {} ms",
                        failure.retriable() ? "" : " and needs action",
                        resumeAt,
                        pause.toMillis(),
                        e);
                closeFeed();
                progress.run(); // the pause is on purpose, and lastError already tells it
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
        closeFeed();
    }

    private void reopen() {
        long fences = inbox.issued();
        DeliveryFeed opened = feeds.get();
        feed = opened;
        boolean resumed = opened.open(resumeAt < 0 ? OptionalLong.empty() : OptionalLong.of(resumeAt));
        if (!resumed || resumeAt < 0) {
            // Positioned at the end: fences made before lie behind it, as does everything they guard.
            inbox.open(fences, this::wakeFeed);
        }
        if (!resumed) {
            LOG.warn(
                    "edge deliveries from offset {} are gone (retention passed them); every live query on this edge starts over",
                    resumeAt);
            onGap.run();
        }
        resumeAt = opened.position();
    }

    /**
     * Reads one batch and dispatches it, with what a router in this process handed over; a test steps
     * the loop with it. Handed records are dispatched before the Kafka records read after their fence,
     * and never before it: so they keep their place among deliveries other routers wrote to the topic
     * ({@link io.undercurrent.bus.kafka.LocalDeliveries}). A wake-up for a handed record ends the poll early.
     */
    void runOnce(Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records;
        boolean wait = inbox.park();
        try {
            records = feed.poll(wait ? timeout : Duration.ZERO);
        } catch (WakeupException e) {
            if (!running) {
                throw e;
            }
            records = List.of(); // woken for a handed record
        } finally {
            inbox.unpark();
        }
        List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(records.size());
        inbox.drainTo(ordered);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (inbox.fenceRead(record)) {
                inbox.drainTo(ordered);
            } else {
                ordered.add(record);
            }
        }
        inbox.drainTo(ordered);
        try {
            dispatcher.accept(ordered);
        } catch (RuntimeException e) {
            // Kafka's records of this batch are read again from resumeAt; handed ones were taken out of
            // the inbox and cannot be: rather than a silent gap, every live query here starts over.
            if (containsHanded(ordered)) {
                LOG.warn(
                        "dispatching deliveries handed over in this process failed; every live query on this edge starts over");
                onGap.run();
            }
            throw e;
        }
        resumeAt = feed.position();
        lag = feed.lag();
    }

    /** Handed records carry no offset (see {@link LocalInbox}). */
    private static boolean containsHanded(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.offset() < 0) {
                return true;
            }
        }
        return false;
    }

    private void closeFeed() {
        DeliveryFeed f = feed;
        feed = null;
        lag = -1;
        if (f != null) {
            try {
                f.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the delivery feed: {}", e.getMessage());
            }
        }
    }

    /** Deliveries not yet read as of the last poll; -1 while unknown (not reading, or no fetch yet). */
    long lag() {
        return lag;
    }

    String lastError() {
        return lastError;
    }

    /** The failure will not pass by itself (Kafka credentials, permissions, configuration). */
    boolean needsAction() {
        return needsAction;
    }

    /** Running and receiving deliveries (false while it recovers from a failure). */
    boolean running() {
        return running && lastError == null;
    }

    /** Positioned on this edge's delivery topic and reading it. */
    boolean ready() {
        return positioned && running();
    }

    void stop() {
        running = false;
        inbox.close();
        stopping.countDown();
        DeliveryFeed f = feed;
        if (f != null) {
            f.wakeup();
        }
    }
}
