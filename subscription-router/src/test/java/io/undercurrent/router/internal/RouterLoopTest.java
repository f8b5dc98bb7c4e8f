package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.EdgeHeartbeat;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.change.Operation;
import io.undercurrent.change.Topics;
import io.undercurrent.change.Watermark;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.router.RouterSettings;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The router loop stepped turn by turn over in-memory Kafka: rebalances, failed deliveries, rules changes, silent edges. */
class RouterLoopTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics TOPICS = new Topics("t");
    private static final String CHANGES = TOPICS.changes("app");
    private static final TopicPartition P0 = new TopicPartition(CHANGES, 0);
    private static final TopicPartition P1 = new TopicPartition(CHANGES, 1);
    private static final TableSchema TODOS = schema("public.todos");
    private static final TableSchema OTHER = schema("public.other");

    private final RouterSettings settings = RouterSettings.defaults("r1", "unused:9092", TOPICS);
    private final FakeRouterBus bus = new FakeRouterBus();
    private final MutableClock clock = new MutableClock();
    private final AtomicReference<RuleSet> rules = new AtomicReference<>(new Versions(Map.of()));
    private final List<Duration> sleeps = new ArrayList<>();
    private final RouterLoop loop = new RouterLoop(settings, rules::get, clock, () -> bus, sleeps::add);
    private final BusCodec codec = new BusCodec();
    private final ChangeEventCodec changeCodec = new ChangeEventCodec();
    private int delivered;

    RouterLoopTest() {
        bus.changes.partitions(CHANGES, 2);
    }

    @Test
    void aRebalanceLoadsSubscriptionsBeforeRoutingNewPartitionsAndHandsOverOnlyWhatKafkaAcknowledged() {
        loop.open();
        bus.changes.assign(P0);
        loop.runOnce();
        subscribe("e1", "q1", TODOS);
        loop.runOnce();
        assertThat(registered()).singleElement().satisfies(r -> {
            assertThat(r.id().queryId()).isEqualTo("q1");
            assertThat(r.partitions()).containsExactly(0);
            assertThat(r.partitionCount()).isEqualTo(2);
        });

        // A subscription published while the router is being given p1: it must be loaded before p1's changes are
        // routed.
        bus.changes.append(CHANGES, 1, change("public.todos", 1));
        bus.changes.beforeNextPoll(() -> subscribe("e2", "q2", TODOS));
        bus.changes.assign(P1);
        loop.runOnce();
        List<Object> turn = newDeliveries();
        assertThat(turn)
                .filteredOn(Delivery.Registered.class::isInstance)
                .map(Delivery.Registered.class::cast)
                .extracting(r -> r.id().queryId() + " " + r.partitions())
                .contains("q1 [0, 1]", "q2 [0, 1]");
        assertThat(turn)
                .filteredOn(Delivery.Changes.class::isInstance)
                .map(Delivery.Changes.class::cast)
                .flatExtracting(Delivery.Changes::targets)
                .extracting(t -> t.id().queryId())
                .as("p1's change reached the subscription that arrived during the assignment")
                .contains("q2");

        // Revoking p0 while its deliveries are unacknowledged: the handover waits for them and commits exactly that
        // prefix.
        bus.deliveries.holdAcks();
        bus.changes.append(CHANGES, 0, change("public.todos", 2));
        loop.runOnce();
        assertThat(bus.changes.committedOffset(P0)).as("not acknowledged yet").isNull();
        bus.changes.revoke(P0);
        loop.runOnce();
        assertThat(bus.changes.commits.get(bus.changes.commits.size() - 1)).containsEntry(P0, new OffsetAndMetadata(1));
        assertThat(loop.health().partitions()).isEqualTo(1);
    }

    @Test
    void aFailedDeliveryBatchRewindsAndSkipsNothing() {
        loop.open();
        bus.changes.assign(P0);
        subscribe("e1", "q1", TODOS);
        loop.runOnce();
        for (int i = 0; i < 10; i++) {
            bus.changes.append(CHANGES, 0, change("public.todos", i));
        }
        newDeliveries();
        assertThat(loop.runOnce()).isEqualTo(RouterLoop.Turn.ROUTED);
        assertThat(bus.changes.committedOffset(P0)).isEqualTo(new OffsetAndMetadata(5));

        bus.deliveries.failNext(1, new TimeoutException("broker gone"));
        assertThat(loop.runOnce()).isEqualTo(RouterLoop.Turn.REWOUND);
        assertThat(bus.changes.committedOffset(P0))
                .as("nothing past the refused batch")
                .isEqualTo(new OffsetAndMetadata(5));
        assertThat(bus.changes.seeks).containsExactly(P0 + "@5");

        while (loop.runOnce() != RouterLoop.Turn.IDLE) {
            // route what was rewound
        }
        assertThat(bus.changes.committedOffset(P0)).isEqualTo(new OffsetAndMetadata(10));
        List<Long> offsets = newDeliveries().stream()
                .filter(Delivery.Changes.class::isInstance)
                .map(d -> ((Delivery.Changes) d).changeOffset())
                .toList();
        List<Long> firstSeen = offsets.stream().distinct().toList();
        assertThat(firstSeen)
                .as("every change delivered, in order (repeats allowed)")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(loop.health().lastError()).contains("broker gone");
    }

    @Test
    void aRulesChangeReacknowledgesTheSubscriptionsOfThatTableOnly() {
        rules.set(new Versions(Map.of("public.todos", "v1", "public.other", "v1")));
        loop.open();
        bus.changes.assign(P0);
        subscribe("e1", "q1", TODOS);
        subscribe("e1", "q2", OTHER);
        loop.runOnce();
        assertThat(registered()).extracting(Delivery.Registered::rulesVersion).containsOnly("v1");

        rules.set(new Versions(Map.of("public.todos", "v2", "public.other", "v1")));
        loop.runOnce();
        assertThat(registered()).singleElement().satisfies(r -> {
            assertThat(r.id().queryId()).isEqualTo("q1");
            assertThat(r.rulesVersion()).isEqualTo("v2");
        });

        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        loop.runOnce();
        assertThat(newDeliveries())
                .filteredOn(Delivery.Changes.class::isInstance)
                .map(Delivery.Changes.class::cast)
                .flatExtracting(Delivery.Changes::targets)
                .extracting(Delivery.Target::rulesVersion)
                .containsExactly("v2");
    }

    @Test
    void aChangeJudgedByRulesThatLookUpWaitsForTheLookupTablesAndIsReadAgainWhileTheyLag() {
        rules.set(new Versions(Map.of(), Set.of("public.todos")));
        List<String> asked = new ArrayList<>();
        boolean[] caughtUp = {false};
        RouterLoop judging = new RouterLoop(settings, rules::get, clock, () -> bus, sleeps::add, (source, timeout) -> {
            asked.add(source);
            return caughtUp[0];
        });
        judging.open();
        bus.changes.assign(P0);
        subscribe("e1", "q1", TODOS);
        subscribe("e1", "q2", OTHER);
        judging.runOnce();
        newDeliveries();

        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        assertThat(judging.runOnce()).isEqualTo(RouterLoop.Turn.REWOUND);
        assertThat(asked).containsExactly("app");
        assertThat(deliveredTo())
                .as("nothing judged against lookup tables that lag")
                .isEmpty();
        assertThat(bus.changes.seeks).containsExactly(P0 + "@0");
        assertThat(judging.health().lastError()).contains("lookup tables of source app");

        caughtUp[0] = true;
        assertThat(judging.runOnce()).isEqualTo(RouterLoop.Turn.ROUTED);
        assertThat(deliveredTo()).containsExactly(TOPICS.edge("e1"));

        asked.clear();
        bus.changes.append(CHANGES, 0, change("public.other", 2));
        assertThat(judging.runOnce()).isEqualTo(RouterLoop.Turn.ROUTED);
        assertThat(asked).as("a rule that looks nothing up does not wait").isEmpty();
        assertThat(deliveredTo()).containsExactly(TOPICS.edge("e1"));
    }

    @Test
    void anEdgeThatFallsSilentLosesItsSubscriptionsAndAFarewellDropsThemAtOnce() {
        loop.open();
        bus.changes.assign(P0);
        heartbeat("e1");
        heartbeat("e2");
        subscribe("e1", "q1", TODOS);
        subscribe("e2", "q2", TODOS);
        loop.runOnce();
        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        loop.runOnce();
        assertThat(deliveredTo()).containsExactlyInAnyOrder(TOPICS.edge("e1"), TOPICS.edge("e2"));

        clock.advance(settings.edgeTtl().plusSeconds(2));
        heartbeat("e2");
        loop.runOnce();
        bus.changes.append(CHANGES, 0, change("public.todos", 2));
        loop.runOnce();
        assertThat(deliveredTo()).as("e1 was silent past the TTL").containsExactly(TOPICS.edge("e2"));

        bus.subscriptions.publish(bytes(EdgeHeartbeat.KEY_PREFIX + "e2"), null);
        loop.runOnce();
        bus.changes.append(CHANGES, 0, change("public.todos", 3));
        loop.runOnce();
        assertThat(deliveredTo()).as("e2 said farewell").isEmpty();
    }

    @Test
    void anEdgeExpiresAtTheTtlItAnnouncesNotTheRoutersFallback() {
        Duration shortTtl = Duration.ofSeconds(3);
        assertThat(shortTtl).isLessThan(settings.edgeTtl());
        loop.open();
        bus.changes.assign(P0);
        heartbeat("e1", shortTtl);
        heartbeat("e2");
        subscribe("e1", "q1", TODOS);
        subscribe("e2", "q2", TODOS);
        loop.runOnce();

        clock.advance(shortTtl.minusMillis(500));
        loop.runOnce();
        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        loop.runOnce();
        assertThat(deliveredTo())
                .as("e1 is still within its own TTL")
                .containsExactlyInAnyOrder(TOPICS.edge("e1"), TOPICS.edge("e2"));

        clock.advance(Duration.ofSeconds(2)); // past e1's 3 s, far within the router's 30 s fallback
        loop.runOnce();
        bus.changes.append(CHANGES, 0, change("public.todos", 2));
        loop.runOnce();
        assertThat(deliveredTo()).as("e1 silent past the TTL it announced").containsExactly(TOPICS.edge("e2"));
    }

    @Test
    void aMalformedChangeIsCountedAndSkippedAndABadSubscriptionDoesNotStopTheOthers() {
        loop.open();
        bus.changes.assign(P0);
        subscribe("e1", "q1", TODOS);
        SubscriptionRecord bad = new SubscriptionRecord(
                new SubscriptionId("e1", "c1", "bad"),
                1,
                "app",
                "public.todos",
                json("{\"table\":\"public.todos\",\"where\":{\"no_such_column\":{\"eq\":1}}}"),
                TODOS,
                null,
                clock.millis());
        bus.subscriptions.publish(bytes(bad.id().asKey()), codec.encode(bad));
        loop.runOnce();
        bus.changes.append(CHANGES, 0, "not a change".getBytes(StandardCharsets.UTF_8));
        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        newDeliveries();
        loop.runOnce();
        assertThat(loop.health().malformedChanges()).isEqualTo(1);
        assertThat(bus.changes.committedOffset(P0)).isEqualTo(new OffsetAndMetadata(2));
        assertThat(newDeliveries())
                .filteredOn(Delivery.Changes.class::isInstance)
                .map(Delivery.Changes.class::cast)
                .flatExtracting(Delivery.Changes::targets)
                .extracting(t -> t.id().queryId())
                .containsExactly("q1");
    }

    @Test
    void aWatermarkIsNeitherRoutedNorCountedAsMalformedAndItsOffsetIsCommitted() {
        loop.open();
        bus.changes.assign(P0);
        subscribe("e1", "q1", TODOS);
        loop.runOnce();
        newDeliveries();
        bus.changes.append(CHANGES, 0, change("public.todos", 1));
        bus.changes.appendWatermark(
                CHANGES, 0, changeCodec.encodeWatermark(new Watermark("app", "731:735:733", clock.millis())));
        loop.runOnce();
        assertThat(loop.health().malformedChanges()).isZero();
        assertThat(loop.health().changesRouted()).as("a watermark is no change").isEqualTo(1);
        assertThat(bus.changes.committedOffset(P0)).isEqualTo(new OffsetAndMetadata(2));
        assertThat(newDeliveries())
                .filteredOn(Delivery.Changes.class::isInstance)
                .as("only the change is delivered")
                .hasSize(1);
    }

    @Test
    void aFailureThatNeedsActionIsReportedAndRetriedAtTheLongestBackoff() {
        RouterLoop failing = new RouterLoop(
                settings,
                rules::get,
                clock,
                () -> new FakeRouterBus() {
                    @Override
                    public void open() {
                        throw new TopicAuthorizationException(Set.of(TOPICS.subscriptions()));
                    }
                },
                d -> {
                    sleeps.add(d);
                    throw new InterruptedException("stop the test's loop");
                });
        failing.run();
        Thread.interrupted(); // the sleeper's interruption ended the loop; clear it for the next test
        assertThat(sleeps).containsExactly(settings.retryBackoffMax());
        assertThat(failing.health().needsAction()).isTrue();
        assertThat(failing.health().lastError()).contains("fix the Kafka settings or permissions");
    }

    @Test
    void aPassingFailureIsRetriedAfterTheShortBackoff() {
        RouterLoop failing = new RouterLoop(
                settings,
                rules::get,
                clock,
                () -> new FakeRouterBus() {
                    @Override
                    public void open() {
                        throw new TimeoutException("no broker");
                    }
                },
                d -> {
                    sleeps.add(d);
                    if (sleeps.size() == 3) {
                        throw new InterruptedException("stop the test's loop");
                    }
                });
        failing.run();
        Thread.interrupted();
        assertThat(sleeps)
                .containsExactly(
                        settings.retryBackoff(),
                        settings.retryBackoff().multipliedBy(2),
                        settings.retryBackoff().multipliedBy(4));
        assertThat(failing.health().needsAction()).isFalse();
        assertThat(failing.health().lastError()).contains("no broker");
    }

    @Test
    void changesOfferedInThisProcessAreRoutedOnceAndASubscriptionAddedAfterIsJudgedFromWhereRoutingStands() {
        ChangeInbox inbox = new ChangeInbox();
        TappedChanges tapped = new TappedChanges(bus.changes, inbox);
        RouterBus tappedBus = new RouterBus() {
            @Override
            public void open() {
                bus.open();
            }

            @Override
            public SubscriptionLog subscriptions() {
                return bus.subscriptions;
            }

            @Override
            public ChangeLog changes() {
                return tapped;
            }

            @Override
            public DeliveryLog deliveries() {
                return bus.deliveries;
            }

            @Override
            public void close() {
                bus.close();
            }
        };
        RouterLoop withTap = new RouterLoop(settings, rules::get, clock, () -> tappedBus, sleeps::add);
        withTap.open();
        bus.changes.assign(P0);
        withTap.runOnce();
        subscribe("e1", "q0", TODOS);
        withTap.runOnce();
        assertThat(registered()).hasSize(1);

        bus.changes.fetchHeld = true; // the consumer has not fetched them yet
        for (long id = 1; id <= 3; id++) {
            byte[] value = change("public.todos", id);
            long offset = bus.changes.append(CHANGES, 0, value);
            inbox.offer(
                    new ProducerRecord<>(CHANGES, 0, null, value),
                    new RecordMetadata(P0, offset, 0, 0, 0, value.length));
        }
        assertThat(withTap.runOnce()).isEqualTo(RouterLoop.Turn.ROUTED);
        assertThat(deliveredTo()).hasSize(3);

        subscribe("e1", "q1", TODOS);
        withTap.runOnce();
        assertThat(registered())
                .singleElement()
                .satisfies(r -> assertThat(r.from())
                        .as("judged from the first change not routed yet; a resume replays what lies below")
                        .containsEntry(0, 3L));

        bus.changes.fetchHeld = false;
        withTap.runOnce();
        withTap.runOnce();
        assertThat(deliveredTo())
                .as("the consumer's copies are not routed again")
                .isEmpty();
        assertThat(withTap.health().changesRouted()).isEqualTo(3);
        assertThat(bus.changes.committedOffset(P0)).isEqualTo(new OffsetAndMetadata(3));
    }

    // --- helpers

    private void subscribe(String edge, String queryId, TableSchema schema) {
        SubscriptionRecord record = new SubscriptionRecord(
                new SubscriptionId(edge, "c1", queryId),
                1,
                "app",
                schema.table(),
                json("{\"table\":\"" + schema.table() + "\"}"),
                schema,
                null,
                clock.millis());
        bus.subscriptions.publish(bytes(record.id().asKey()), codec.encode(record));
    }

    private void heartbeat(String edge) {
        heartbeat(edge, settings.edgeTtl());
    }

    private void heartbeat(String edge, Duration ttl) {
        EdgeHeartbeat beat = new EdgeHeartbeat(edge, clock.millis(), ttl.toMillis());
        bus.subscriptions.publish(bytes(beat.key()), codec.encode(beat));
    }

    private byte[] change(String table, long id) {
        return changeCodec.encode(new ChangeEvent(
                1,
                "app",
                table,
                Operation.INSERT,
                Map.of("id", id),
                null,
                Map.of("id", id, "title", "t" + id),
                List.of(),
                "lsn:" + id,
                Long.toString(100 + id),
                0,
                0));
    }

    /** Deliveries written since the last call, decoded. */
    private List<Object> newDeliveries() {
        List<Object> out = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> sent = bus.deliveries.sent;
        for (; delivered < sent.size(); delivered++) {
            out.add(codec.decode(sent.get(delivered).value(), Delivery.class));
        }
        return out;
    }

    private List<Delivery.Registered> registered() {
        return newDeliveries().stream()
                .filter(Delivery.Registered.class::isInstance)
                .map(Delivery.Registered.class::cast)
                .toList();
    }

    /** The edge topics that got changes since the last call. */
    private List<String> deliveredTo() {
        List<String> topics = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> sent = bus.deliveries.sent;
        for (; delivered < sent.size(); delivered++) {
            if (codec.decode(sent.get(delivered).value(), Delivery.class) instanceof Delivery.Changes) {
                topics.add(sent.get(delivered).topic());
            }
        }
        return topics;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static TableSchema schema(String table) {
        return new TableSchema(
                "app",
                table,
                List.of(
                        new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                        new TableSchema.Column("title", ColumnType.TEXT, "text")),
                List.of("id"));
    }

    /**
     * Every row readable by everyone; each table's rules version as given ("v0" when not); the rules of
     * {@code lookingUp} look up public.memberships.
     */
    private record Versions(Map<String, String> versions, Set<String> lookingUp) implements RuleSet {
        Versions(Map<String, String> versions) {
            this(versions, Set.of());
        }

        @Override
        public Set<TableRef> lookedUpBy(TableRef table) {
            return lookingUp.contains(table.table()) ? Set.of(new TableRef("app", "public.memberships")) : Set.of();
        }

        @Override
        public Access access(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            return new Access() {
                @Override
                public boolean allowed() {
                    return true;
                }

                @Override
                public boolean fieldVisible(String column) {
                    return true;
                }

                @Override
                public Map<String, Object> project(Map<String, ?> r) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public boolean hasRule(TableRef table) {
            return true;
        }

        @Override
        public Set<TableRef> tables() {
            return Set.of();
        }

        @Override
        public Explanation explain(TableRef table, Map<String, ?> auth, Map<String, ?> row, long nowMillis) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String version(TableRef table) {
            return versions.getOrDefault(table.table(), "v0");
        }

        @Override
        public boolean certainlyVisible(TableRef table, Map<String, ?> auth, String column) {
            return true;
        }

        @Override
        public boolean mayReadAny(TableRef table, Map<String, ?> auth) {
            return true;
        }

        @Override
        public RowCondition readCondition(TableRef table, Map<String, ?> auth, long nowMillis) {
            return RowCondition.TRUE;
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private long millis = 1_767_225_600_000L;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
