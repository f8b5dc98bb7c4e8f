package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel frames: judged by the channel rules, limited per connection, shared through the publisher. */
class ChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000);
    private final FakePublisher bus = new FakePublisher();
    private final Presence presence = new Presence("edge-a.1", new ServerFrames(), 30_000);
    private RulesEngine engine;
    private Channels channels;

    /** Keeps what would go to Kafka; fails on demand. */
    static final class FakePublisher implements ChannelPublisher {
        final List<Object> sent = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        private CompletableFuture<Void> done(Object record) {
            sent.add(record);
            return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
        }

        @Override
        public CompletableFuture<Void> join(PresenceRecord record) {
            return done(record);
        }

        @Override
        public CompletableFuture<Void> leave(PresenceKey.Member key) {
            return done(key);
        }

        @Override
        public CompletableFuture<Void> publish(ChannelMessage message) {
            return done(message);
        }
    }

    @BeforeEach
    void rules() throws Exception {
        Files.writeString(dir.resolve("channels.yaml"), """
        channel: "room:*"
        join: "auth != null && auth.sub != 'mallory'"
        publish: "auth.sub != 'reader'"
        presence: [sub, name]
        """);
        engine = RulesEngine.start(new RulesOptions(dir, "app", false), null);
        channels = new Channels(
                new ChannelSettings(2, 64, 3), "edge-a.1", new ServerFrames(), this::current, presence, bus, clock);
    }

    private RuleSet current() {
        return engine.current();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private record Client(ClientConnection connection, RecordingTransport transport) {
        List<String> frames() {
            return transport.frames;
        }
    }

    private Client client(String id, Map<String, Object> claims) {
        RecordingTransport transport = new RecordingTransport();
        ClientConnection connection =
                new ClientConnection(id, new Outbox(transport, 1 << 20, clock), new RateLimiter(1000, 0), 0);
        if (claims != null) {
            connection.authenticate(claims, null);
        }
        return new Client(connection, transport);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static ErrorCode refusal(ThrowingRunnable action) {
        try {
            action.run();
        } catch (ProtocolException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aJoinIsAnsweredWithWhoIsPresentCarryingOnlyTheClaimsTheRuleShows() throws Exception {
        Client alice = client("1", Map.of("sub", "alice", "name", "Alice", "email", "a@x"));
        Client bob = client("2", Map.of("sub", "bob"));
        channels.join(alice.connection(), new ClientFrame.Join("j1", "room:1"));
        channels.join(bob.connection(), new ClientFrame.Join("j2", "room:1"));

        JsonNode joined = json(bob.frames().get(0));
        assertThat(joined.get("type").asText()).isEqualTo("joined");
        assertThat(joined.get("id").asText()).isEqualTo("j2");
        assertThat(joined.get("presence")).hasSize(2);
        assertThat(joined.get("presence").get(0).get("info").toString())
                .isEqualTo("{\"sub\":\"alice\",\"name\":\"Alice\"}");
        assertThat(joined.get("presence").get(1).get("client").asText())
                .isEqualTo(joined.get("client").asText());
        assertThat(alice.frames()).hasSize(2);
        assertThat(alice.frames().get(1)).contains("\"joins\"", "bob").doesNotContain("a@x");

        assertThat(bus.sent).hasSize(2).allMatch(r -> r instanceof PresenceRecord);
        assertThat(((PresenceRecord) bus.sent.get(0)).info()).isEqualTo(Map.of("sub", "alice", "name", "Alice"));
    }

    @Test
    void joiningNeedsTheRuleDefaultDeny() {
        assertThat(refusal(() -> channels.join(client("1", null).connection(), new ClientFrame.Join("j", "room:1"))))
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refusal(() -> channels.join(
                        client("2", Map.of("sub", "mallory")).connection(), new ClientFrame.Join("j", "room:1"))))
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() ->
                        channels.join(client("3", Map.of("sub", "x")).connection(), new ClientFrame.Join("j", "doc:1")))
                .hasMessageContaining("no channel rule covers doc:1");
        assertThat(bus.sent).isEmpty();
        assertThat(presence.present("room:1")).isEmpty();
    }

    @Test
    void publishingReachesTheOthersThroughTheBus() throws Exception {
        Client alice = client("1", Map.of("sub", "alice"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"));
        channels.publish(alice.connection(), new ClientFrame.Publish("m1", "room:1", json("{\"typing\":true}")));
        ChannelMessage message = (ChannelMessage) bus.sent.get(1);
        assertThat(message.channel()).isEqualTo("room:1");
        assertThat(message.info()).isEqualTo(Map.of("sub", "alice"));
        assertThat(message.data().toString()).isEqualTo("{\"typing\":true}");
        assertThat(alice.frames()).last().isEqualTo("{\"type\":\"published\",\"id\":\"m1\",\"channel\":\"room:1\"}");
    }

    @Test
    void publishingNeedsAJoinTheRuleAndASmallMessage() throws Exception {
        Client reader = client("1", Map.of("sub", "reader"));
        assertThat(refusal(
                        () -> channels.publish(reader.connection(), new ClientFrame.Publish("m", "room:1", json("1")))))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        channels.join(reader.connection(), new ClientFrame.Join(null, "room:1"));
        assertThat(refusal(
                        () -> channels.publish(reader.connection(), new ClientFrame.Publish("m", "room:1", json("1")))))
                .isEqualTo(ErrorCode.FORBIDDEN);

        Client writer = client("2", Map.of("sub", "w"));
        channels.join(writer.connection(), new ClientFrame.Join(null, "room:1"));
        clock.advance(1000);
        JsonNode big = json("\"" + "x".repeat(63) + "\"");
        assertThatThrownBy(() -> channels.publish(writer.connection(), new ClientFrame.Publish("m", "room:1", big)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("data is 65 bytes; at most 64");
        channels.publish(
                writer.connection(), new ClientFrame.Publish("m", "room:1", json("\"" + "x".repeat(62) + "\"")));
    }

    @Test
    void joinsAndPublishesAreRateLimitedPerConnection() throws Exception {
        Client alice = client("1", Map.of("sub", "alice"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"));
        channels.publish(alice.connection(), new ClientFrame.Publish(null, "room:1", json("1")));
        channels.publish(alice.connection(), new ClientFrame.Publish(null, "room:1", json("2")));
        channels.publish(alice.connection(), new ClientFrame.Publish(null, "room:1", json("3")));
        // 2 per second, bursts of 4: the fifth action in the same millisecond is refused
        assertThat(refusal(
                        () -> channels.publish(alice.connection(), new ClientFrame.Publish("m5", "room:1", json("4")))))
                .isEqualTo(ErrorCode.RATE_LIMITED);
        Client bob = client("2", Map.of("sub", "bob"));
        channels.join(bob.connection(), new ClientFrame.Join(null, "room:1")); // another connection has its own budget
        clock.advance(500); // one action earned back
        channels.publish(alice.connection(), new ClientFrame.Publish(null, "room:1", json("5")));
        assertThat(refusal(
                        () -> channels.publish(alice.connection(), new ClientFrame.Publish(null, "room:1", json("6")))))
                .isEqualTo(ErrorCode.RATE_LIMITED);
    }

    @Test
    void aConnectionIsInAtMostMaxJoinedChannelsAndOnceInEach() throws Exception {
        Client alice = client("1", Map.of("sub", "alice"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"));
        assertThat(refusal(() -> channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"))))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        clock.advance(1000);
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:2"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:3"));
        assertThat(refusal(() -> channels.join(alice.connection(), new ClientFrame.Join(null, "room:4"))))
                .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void aChannelHoldsAtMostMaxPresentClientsCountingOtherEdges() throws Exception {
        Channels capped = new Channels(
                new ChannelSettings(100, 64, 3, 2),
                "edge-a.1",
                new ServerFrames(),
                this::current,
                presence,
                bus,
                clock);
        capped.join(client("1", Map.of("sub", "alice")).connection(), new ClientFrame.Join(null, "room:1"));
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "room:1", Map.of("sub", "carol"), 1), 1000);
        Client bob = client("2", Map.of("sub", "bob"));
        assertThatThrownBy(() -> capped.join(bob.connection(), new ClientFrame.Join("j", "room:1")))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
                .hasMessageContaining("channel.max-present");
        assertThat(presence.present("room:1")).hasSize(2);
        assertThat(bob.frames()).isEmpty();
        capped.join(bob.connection(), new ClientFrame.Join("j", "room:2"));
        assertThat(bob.frames()).as("the refused join left nothing behind").hasSize(1);
    }

    @Test
    void leavingAndClosingWithdrawThePresenceEverywhere() throws Exception {
        Client alice = client("1", Map.of("sub", "alice"));
        Client bob = client("2", Map.of("sub", "bob"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:2"));
        channels.join(bob.connection(), new ClientFrame.Join(null, "room:1"));

        channels.leave(alice.connection(), new ClientFrame.Leave("l1", "room:2"));
        assertThat(alice.frames()).last().isEqualTo("{\"type\":\"left\",\"id\":\"l1\",\"channel\":\"room:2\"}");
        assertThat(refusal(() -> channels.leave(alice.connection(), new ClientFrame.Leave("l1", "room:2"))))
                .isEqualTo(ErrorCode.BAD_REQUEST);

        channels.closeAll(alice.connection());
        assertThat(bob.frames()).last().asString().contains("\"leaves\"", "alice");
        assertThat(presence.present("room:1")).hasSize(1);
        assertThat(bus.sent.stream().filter(r -> r instanceof PresenceKey.Member))
                .hasSize(2);
    }

    @Test
    void aTokenForSomeoneWhoMayNotJoinLeavesTheChannel() throws Exception {
        Client alice = client("1", Map.of("sub", "alice"));
        channels.join(alice.connection(), new ClientFrame.Join(null, "room:1"));
        alice.connection().authenticate(Map.of("sub", "alice"), null);
        channels.identityChanged(alice.connection());
        assertThat(presence.present("room:1")).as("same claims shown: stays").hasSize(1);

        alice.connection().authenticate(Map.of("sub", "mallory"), null);
        channels.identityChanged(alice.connection());
        assertThat(presence.present("room:1")).isEmpty();
        assertThat(alice.frames())
                .last()
                .isEqualTo("{\"type\":\"left\",\"channel\":\"room:1\",\"reason\":\"token changed; join again\"}");
    }

    @Test
    void aJoinKafkaRefusesIsUndoneAndTheClientTold() throws Exception {
        bus.failure = new IllegalStateException("broker down");
        Client alice = client("1", Map.of("sub", "alice"));
        channels.join(alice.connection(), new ClientFrame.Join("j1", "room:1"));
        assertThat(presence.present("room:1")).isEmpty();
        assertThat(alice.frames()).hasSize(3);
        assertThat(alice.frames().get(2)).contains("\"code\":\"internal\"", "\"id\":\"j1\"");
    }
}
