package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.edge.ChannelSettings;
import io.undercurrent.edge.LookupReads;
import io.undercurrent.edge.protocol.ClientFrame;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.rules.LookupBinding;
import io.undercurrent.rules.LookupLimits;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.RulesEngine;
import io.undercurrent.rules.RulesOptions;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client stays in a channel only while the channel rule lets it join: a membership deleted from a
 * looked-up table, or a reloaded rule, takes it out ({@code left}, code {@code forbidden}), and the
 * others see it leave.
 */
class ChannelRejudgingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");
    private static final TableRef OTHER = new TableRef("app", "public.other");

    @TempDir
    Path dir;

    @TempDir
    Path reloadedDir;

    private final ManualClock clock = new ManualClock(1_000);
    private final ChannelsTest.FakePublisher bus = new ChannelsTest.FakePublisher();
    private final Presence presence = new Presence("edge-a.1", new ServerFrames(), 30_000);
    private final FakeLookupReads reads = new FakeLookupReads();
    private final LookupStore store = new LookupStore(LookupLimits.DEFAULT);
    private RulesEngine engine;
    private volatile RuleSet inForce;
    private Channels channels;

    /** Says a change concerns exactly the subscribers named in {@link #concerned}, and records who was asked. */
    static final class FakeLookupReads implements LookupReads {
        final AtomicLong marks = new AtomicLong();
        volatile Set<String> concerned = Set.of();
        final List<Object> asked = new CopyOnWriteArrayList<>();

        @Override
        public long mark() {
            return marks.incrementAndGet();
        }

        @Override
        public boolean settled(
                List<LookupBinding> bindings, Map<String, ?> auth, long mark, String source, ReadPoint point) {
            return true;
        }

        @Override
        public boolean changedSince(List<LookupBinding> bindings, Map<String, ?> auth, long mark) {
            assertThat(bindings).allMatch(b -> b.table().equals(MEMBERSHIPS));
            Object sub = auth == null ? null : auth.get("sub");
            asked.add(sub);
            return concerned.contains(sub);
        }
    }

    @BeforeEach
    void rules() throws Exception {
        Files.writeString(dir.resolve("channels.yaml"), """
        channel: "group:*"
        lookups:
          member:
            table: public.memberships
            key: [group_id, user_id]
        join: "auth != null && exists(member, num(channel.id), auth.sub)"
        publish: "auth != null && exists(member, num(channel.id), auth.sub)"
        presence: [sub]
        ---
        channel: "room:*"
        join: "auth != null"
        presence: [sub]
        """);
        engine = RulesEngine.start(new RulesOptions(dir, "app", false).withLookups(store), null);
        inForce = engine.current();
        member(1, 42, "alice");
        member(2, 42, "bob");
        store.tables().forEach(store::ready);
        channels = new Channels(
                new ChannelSettings(100, 64, 5),
                "edge-a.1",
                new ServerFrames(),
                () -> inForce,
                presence,
                bus,
                clock,
                reads,
                Runnable::run);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void member(long id, long group, String user) {
        store.upsert(MEMBERSHIPS, Map.of("id", id), Map.of("id", id, "group_id", group, "user_id", user));
    }

    private record Client(ClientConnection connection, RecordingTransport transport) {
        JsonNode last() throws Exception {
            return JSON.readTree(transport.frames.get(transport.frames.size() - 1));
        }
    }

    private Client joined(String id, Map<String, Object> claims, String... channelNames) throws Exception {
        RecordingTransport transport = new RecordingTransport();
        ClientConnection connection =
                new ClientConnection(id, new Outbox(transport, 1 << 20, clock), new RateLimiter(1000, 0), 0);
        connection.authenticate(claims, null);
        for (String channel : channelNames) {
            channels.join(connection, new ClientFrame.Join(null, channel));
        }
        return new Client(connection, transport);
    }

    private static Set<String> subs(List<Map<String, Object>> present) {
        Set<String> subs = new java.util.TreeSet<>();
        present.forEach(m -> subs.add(String.valueOf(((Map<?, ?>) m.get("info")).get("sub"))));
        return subs;
    }

    @Test
    void aMemberRemovedFromTheGroupIsTakenOutOfItsChannelAndHearsNothingMore() throws Exception {
        Client alice = joined("1", Map.of("sub", "alice"), "group:42");
        Client bob = joined("2", Map.of("sub", "bob"), "group:42", "room:1");

        store.delete(MEMBERSHIPS, Map.of("id", 2L));
        reads.concerned = Set.of("bob");
        channels.lookupsChanged(Set.of(MEMBERSHIPS));

        JsonNode left = bob.last();
        assertThat(left.path("type").asText()).isEqualTo("left");
        assertThat(left.path("channel").asText()).isEqualTo("group:42");
        assertThat(left.path("code").asText()).isEqualTo("forbidden");
        assertThat(left.has("id")).as("the server's doing, not an answer").isFalse();
        assertThat(left.path("reason").asText()).contains("no longer lets this client join group:42");
        JsonNode seen = alice.last();
        assertThat(seen.path("type").asText()).isEqualTo("presence");
        assertThat(seen.path("leaves").toString()).contains("bob");
        assertThat(subs(presence.present("group:42"))).containsExactly("alice");
        assertThat(subs(presence.present("room:1")))
                .as("a channel whose rule looks nothing up")
                .containsExactly("bob");
        assertThat(bus.sent).last().isInstanceOf(PresenceKey.Member.class);
        assertThat(((PresenceKey.Member) bus.sent.get(bus.sent.size() - 1)).channel())
                .isEqualTo("group:42");

        int before = bob.transport().frames.size();
        presence.deliver(
                new ChannelMessage("edge-b.2", "cx", "group:42", Map.of("sub", "carol"), JSON.readTree("1"), 2));
        assertThat(bob.transport().frames)
                .as("no message of the group reaches it")
                .hasSize(before);
        ErrorCode refused = null;
        try {
            channels.publish(bob.connection(), new ClientFrame.Publish("m", "group:42", JSON.readTree("1")));
        } catch (ProtocolException e) {
            refused = e.code();
        }
        assertThat(refused).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void onlyClientsAChangedRowMayConcernAreJudgedAgain() throws Exception {
        joined("1", Map.of("sub", "alice"), "group:42");
        joined("2", Map.of("sub", "bob"), "group:42", "room:1");
        store.delete(MEMBERSHIPS, Map.of("id", 1L));
        store.delete(MEMBERSHIPS, Map.of("id", 2L));

        channels.lookupsChanged(Set.of(OTHER));
        assertThat(reads.asked)
                .as("no channel rule looks that table up: nobody is asked about")
                .isEmpty();
        assertThat(subs(presence.present("group:42"))).containsExactly("alice", "bob");

        reads.concerned = Set.of("bob");
        channels.lookupsChanged(Set.of(MEMBERSHIPS));
        assertThat(reads.asked).as("room:1 looks nothing up").containsExactlyInAnyOrder("alice", "bob");
        assertThat(subs(presence.present("group:42")))
                .as("alice's rows did not change in this burst (as the lookups tell)")
                .containsExactly("alice");
    }

    @Test
    void aLookupTableStillLoadingTakesNobodyOut() throws Exception {
        Client bob = joined("2", Map.of("sub", "bob"), "group:42");
        int before = bob.transport().frames.size();
        store.reload(MEMBERSHIPS);
        reads.concerned = Set.of("bob");
        channels.lookupsChanged(Set.of(MEMBERSHIPS));
        assertThat(subs(presence.present("group:42"))).containsExactly("bob");
        assertThat(bob.transport().frames).hasSize(before);
    }

    @Test
    void aRemovedMemberIsRefusedAtItsNextPublishEvenBeforeItIsTakenOut() throws Exception {
        Client bob = joined("2", Map.of("sub", "bob"), "group:42");
        channels.publish(bob.connection(), new ClientFrame.Publish(null, "group:42", JSON.readTree("1")));
        store.delete(MEMBERSHIPS, Map.of("id", 2L));
        ErrorCode refused = null;
        try {
            channels.publish(bob.connection(), new ClientFrame.Publish("m", "group:42", JSON.readTree("2")));
        } catch (ProtocolException e) {
            refused = e.code();
        }
        assertThat(refused).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void aReloadedChannelRuleAppliesToClientsAlreadyJoined() throws Exception {
        Client alice = joined("1", Map.of("sub", "alice", "name", "Alice"), "room:1");
        Client bob = joined("2", Map.of("sub", "bob"), "room:1");
        member(3, 42, "carol");
        Client carol = joined("3", Map.of("sub", "carol"), "room:1", "group:42");
        Files.writeString(reloadedDir.resolve("channels.yaml"), """
        channel: "room:*"
        join: "auth != null && auth.sub != 'bob'"
        presence: [sub, name]
        """);
        try (RulesEngine reloaded = RulesEngine.start(new RulesOptions(reloadedDir, "app", false), null)) {
            inForce = reloaded.current();
            channels.rulesChanged();
        }

        assertThat(bob.last().path("code").asText()).isEqualTo("forbidden");
        assertThat(alice.last().path("type").asText()).isEqualTo("left");
        assertThat(alice.last().has("code")).isFalse();
        assertThat(alice.last().path("reason").asText())
                .as("others would now see her name")
                .contains("join again");
        assertThat(subs(presence.present("room:1")))
                .as("nothing carol shows changed")
                .containsExactly("carol");
        assertThat(subs(presence.present("group:42")))
                .as("no rule covers group:* any more")
                .isEmpty();
        assertThat(carol.last().path("channel").asText()).isEqualTo("group:42");
        assertThat(carol.last().path("reason").asText()).contains("no channel rule covers group:42");
    }
}
