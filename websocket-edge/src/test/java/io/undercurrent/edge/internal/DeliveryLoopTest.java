package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The edge's delivery thread under failures: it resumes where it stopped, restarts queries after a gap, and stops at once. */
@Timeout(20)
class DeliveryLoopTest {

    private final FakeTopic topic = new FakeTopic();
    private final List<Long> dispatched = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private int gaps;

    @Test
    void aFailedPollResumesAtTheSameOffsetAndWhatWasPublishedMeanwhileArrives() {
        topic.append(3);
        DeliveryLoop[] loop = new DeliveryLoop[1];
        loop[0] = DeliveryLoop.builder(
                        () -> new FakeFeed(topic),
                        records -> {
                            records.forEach(r -> dispatched.add(r.offset()));
                            if (dispatched.contains(5L)) {
                                loop[0].stop();
                            }
                        },
                        () -> gaps++)
                .sleeper(d -> {
                    sleeps.add(d);
                    assertThat(loop[0].running())
                            .as("health is not up while deliveries fail")
                            .isFalse();
                    topic.append(2); // published while the edge was not reading
                })
                .build();
        loop[0].open();
        topic.append(1);
        topic.failNextPoll(new DisconnectException("connection to the broker lost"));
        loop[0].run();
        assertThat(dispatched)
                .as("the record before the failure, then those published meanwhile")
                .containsExactly(3L, 4L, 5L);
        assertThat(sleeps).containsExactly(DeliveryLoop.MIN_BACKOFF);
        assertThat(gaps).isZero();
        assertThat(loop[0].lastError()).as("recovered").isNull();
        assertThat(topic.opened).isEqualTo(2);
    }

    @Test
    void theConfiguredBackoffPacesTheRetries() {
        Duration first = Duration.ofSeconds(2);
        Duration longest = Duration.ofSeconds(5);
        DeliveryLoop[] loop = new DeliveryLoop[1];
        loop[0] = DeliveryLoop.builder(() -> new FakeFeed(topic), records -> {}, () -> gaps++)
                .sleeper(d -> {
                    sleeps.add(d);
                    if (sleeps.size() < 4) {
                        topic.failNextPoll(new DisconnectException("connection to the broker lost"));
                    } else if (sleeps.size() == 4) {
                        topic.failNextPoll(new TopicAuthorizationException("not authorized to read t.edge.e1"));
                    } else {
                        loop[0].stop();
                    }
                })
                .backoff(first, longest)
                .build();
        loop[0].open();
        topic.failNextPoll(new DisconnectException("connection to the broker lost"));
        loop[0].run();
        assertThat(sleeps)
                .as(
                        "edge.delivery-retry-backoff doubling up to edge.delivery-retry-backoff-max, which also paces a failure that needs action")
                .containsExactly(first, Duration.ofSeconds(4), longest, longest, longest);
    }

    @Test
    void anOffsetPastRetentionStartsEveryLiveQueryOver() {
        topic.append(3);
        DeliveryLoop[] loop = new DeliveryLoop[1];
        loop[0] = DeliveryLoop.builder(
                        () -> new FakeFeed(topic), records -> records.forEach(r -> dispatched.add(r.offset())), () -> {
                            gaps++;
                            loop[0].stop();
                        })
                .sleeper(d -> {
                    sleeps.add(d);
                    topic.append(4);
                    topic.retainFrom(5); // offsets 3 and 4 are gone before the edge reads again
                })
                .build();
        loop[0].open();
        topic.failNextPoll(new DisconnectException("connection to the broker lost"));
        loop[0].run();
        assertThat(gaps).isEqualTo(1);
        assertThat(dispatched).doesNotContain(3L, 4L);
    }

    @Test
    void aFailureThatNeedsActionIsReportedAndRetriedAtTheLongestBackoff() {
        DeliveryLoop[] loop = new DeliveryLoop[1];
        List<String> seen = new ArrayList<>();
        loop[0] = DeliveryLoop.builder(() -> new FakeFeed(topic), records -> {}, () -> gaps++)
                .sleeper(d -> {
                    sleeps.add(d);
                    seen.add(loop[0].running() + " " + loop[0].needsAction() + " " + loop[0].lastError());
                    loop[0].stop();
                })
                .build();
        loop[0].open();
        topic.failNextPoll(new TopicAuthorizationException("not authorized to read t.edge.e1"));
        loop[0].run();
        assertThat(sleeps).containsExactly(DeliveryLoop.MAX_BACKOFF);
        assertThat(seen)
                .singleElement()
                .asString()
                .startsWith("false true deliveries interrupted: not authorized to read t.edge.e1");
    }

    @Test
    void stopDuringABackoffReturnsWithinASecond() throws Exception {
        DeliveryLoop loop = DeliveryLoop.builder(() -> new FakeFeed(topic), records -> {}, () -> gaps++)
                .build();
        loop.open();
        topic.failNextPoll(new TopicAuthorizationException("not authorized")); // backs off for the longest pause
        Thread thread = new Thread(loop, "test-deliveries");
        thread.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.lastError() != null);
        long start = System.nanoTime();
        loop.stop();
        thread.join(1_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    /** One partition in memory: records, the oldest offset still retained, and failures to inject. */
    private static final class FakeTopic {
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private long retainedFrom;
        private RuntimeException nextPollFailure;
        int opened;

        synchronized void append(int n) {
            for (int i = 0; i < n; i++) {
                records.add(new ConsumerRecord<>("t.edge.e1", 0, records.size(), null, new byte[0]));
            }
        }

        synchronized void retainFrom(long offset) {
            retainedFrom = offset;
        }

        synchronized void failNextPoll(RuntimeException e) {
            nextPollFailure = e;
        }

        synchronized long end() {
            return records.size();
        }

        synchronized List<ConsumerRecord<byte[], byte[]>> read(long from) {
            if (nextPollFailure != null) {
                RuntimeException e = nextPollFailure;
                nextPollFailure = null;
                throw e;
            }
            return new ArrayList<>(records.subList((int) Math.max(from, retainedFrom), records.size()));
        }
    }

    private static final class FakeFeed implements DeliveryFeed {
        private final FakeTopic topic;
        private long position;

        FakeFeed(FakeTopic topic) {
            this.topic = topic;
        }

        @Override
        public boolean open(OptionalLong from) {
            synchronized (topic) {
                topic.opened++;
                if (from.isPresent() && from.getAsLong() >= topic.retainedFrom && from.getAsLong() <= topic.end()) {
                    position = from.getAsLong();
                    return true;
                }
                position = topic.end();
                return from.isEmpty();
            }
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
            List<ConsumerRecord<byte[], byte[]>> out = topic.read(position);
            if (!out.isEmpty()) {
                position = out.get(out.size() - 1).offset() + 1;
            }
            return out;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void wakeup() {}

        @Override
        public void close() {}
    }
}
