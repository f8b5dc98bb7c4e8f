package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.channel.ChannelMessage;
import io.undercurrent.bus.channel.NodeHeartbeat;
import io.undercurrent.bus.channel.PresenceKey;
import io.undercurrent.bus.channel.PresenceRecord;
import io.undercurrent.edge.protocol.ServerFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One node's view of who is present: local joins at once, other nodes' from their records, silent nodes expire. */
class PresenceTest {

    private final Presence presence = new Presence("edge-a.1", new ServerFrames(), 30_000);
    private final List<String> alice = new ArrayList<>();
    private final List<String> bob = new ArrayList<>();

    private static Map<String, Object> info(String sub) {
        return Map.of("sub", sub);
    }

    @Test
    void aJoinerGetsEveryonePresentAndTheOthersAreTold() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        List<Map<String, Object>> state = presence.join("group:42", "cb", info("bob"), bob::add);

        assertThat(state)
                .containsExactly(
                        Map.of("client", "ca", "info", info("alice")), Map.of("client", "cb", "info", info("bob")));
        assertThat(alice)
                .containsExactly("{\"type\":\"presence\",\"channel\":\"group:42\",\"joins\":[{\"client\":\"cb\","
                        + "\"info\":{\"sub\":\"bob\"}}]}");
        assertThat(bob)
                .as("the joiner learns of itself from the state, not from a presence frame")
                .isEmpty();

        presence.leave("group:42", "cb");
        assertThat(alice.get(1))
                .isEqualTo("{\"type\":\"presence\",\"channel\":\"group:42\",\"leaves\":[{\"client\":\"cb\","
                        + "\"info\":{\"sub\":\"bob\"}}]}");
        assertThat(bob).isEmpty();
        assertThat(presence.present("group:42")).hasSize(1);
    }

    @Test
    void otherNodesClientsComeAndGoThroughTheirRecords() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1001); // again: no news
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cy", "group:7", info("dave"), 1), 1002); // another channel
        assertThat(alice).hasSize(1).first().asString().contains("\"joins\"", "carol");

        presence.remoteLeave(new PresenceKey.Member("edge-b.2", "cx", "group:42"), 1003);
        assertThat(alice).hasSize(2).last().asString().contains("\"leaves\"", "carol");
        assertThat(presence.present("group:42")).hasSize(1);
    }

    @Test
    void thisNodesOwnRecordsComingBackAreIgnored() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.leave("group:42", "ca");
        // the echo of the join arrives after the leave: it must not bring alice back
        presence.remoteJoin(new PresenceRecord("edge-a.1", "ca", "group:42", info("alice"), 1), 1000);
        assertThat(presence.present("group:42")).isEmpty();
    }

    @Test
    void aSilentNodeIsForgottenWithItsClientsAfterItsTtl() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.heartbeat(new NodeHeartbeat("edge-b.2", 1000, 9000), 1000);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cz", "group:42", info("erin"), 1), 1000);
        presence.heartbeat(new NodeHeartbeat("edge-b.2", 4000, 9000), 4000);

        assertThat(presence.expire(13_000).nodes()).isEmpty();
        assertThat(presence.alive("edge-b.2")).isTrue();

        Presence.Expired expired = presence.expire(13_001);
        assertThat(expired.nodes()).containsExactly("edge-b.2");
        assertThat(expired.members())
                .containsExactlyInAnyOrder(
                        new PresenceKey.Member("edge-b.2", "cx", "group:42"),
                        new PresenceKey.Member("edge-b.2", "cz", "group:42"));
        assertThat(alice.get(alice.size() - 1)).as("both leave in one frame").contains("\"leaves\"", "carol", "erin");
        assertThat(presence.present("group:42")).containsExactly(Map.of("client", "ca", "info", info("alice")));
        assertThat(presence.alive("edge-b.2")).isFalse();
    }

    @Test
    void aNodeThatSaysGoodbyeTakesItsClientsAtOnce() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        presence.nodeLeft("edge-b.2");
        assertThat(alice).last().asString().contains("\"leaves\"", "carol");
        assertThat(presence.present("group:42")).hasSize(1);
    }

    @Test
    void aMessageReachesEveryListenerButItsPublisherEncodedOnce() throws Exception {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.join("group:42", "cb", info("bob"), bob::add);
        alice.clear();
        var data = new ObjectMapper().readTree("{\"typing\":true}");
        presence.deliver(new ChannelMessage("edge-a.1", "ca", "group:42", info("alice"), data, 5));
        assertThat(alice).isEmpty();
        assertThat(bob)
                .containsExactly("{\"type\":\"message\",\"channel\":\"group:42\",\"from\":{\"client\":\"ca\","
                        + "\"info\":{\"sub\":\"alice\"}},\"data\":{\"typing\":true}}");

        presence.deliver(new ChannelMessage("edge-b.2", "ca", "group:42", info("x"), data, 5));
        assertThat(alice).as("same client id on another node is someone else").hasSize(1);
        assertThat(bob.get(1)).isSameAs(alice.get(0));
    }

    @Test
    void localMembersCanBeAnnouncedAgain() {
        presence.join("group:42", "ca", info("alice"), alice::add);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        assertThat(presence.local(77))
                .containsExactly(new PresenceRecord("edge-a.1", "ca", "group:42", info("alice"), 77));
    }

    @Test
    void aJoinersJoinedFrameComesBeforeAnyChangeItListensTo() {
        List<String> bob = new ArrayList<>();
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        presence.join("group:42", "cb", info("bob"), bob::add, present -> "joined " + present, 10);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cy", "group:42", info("dave"), 1), 1001);
        assertThat(bob).hasSize(2);
        assertThat(bob.get(0)).startsWith("joined ").contains("carol").contains("bob");
        assertThat(bob.get(1)).contains("\"joins\"").contains("dave");
    }

    @Test
    void aJoinThatWouldPassTheCapIsRefusedCountingOtherNodesClients() {
        presence.join("group:42", "ca", info("alice"), alice::add, present -> "joined", 2);
        presence.remoteJoin(new PresenceRecord("edge-b.2", "cx", "group:42", info("carol"), 1), 1000);
        int heard = alice.size();

        assertThat(presence.join("group:42", "cb", info("bob"), bob::add, present -> "joined", 2))
                .isNull();
        assertThat(bob).as("no joined frame, and not listening").isEmpty();
        assertThat(alice).as("nobody told of a join that did not happen").hasSize(heard);
        assertThat(presence.present("group:42")).hasSize(2);

        assertThat(presence.join("group:7", "cb", info("bob"), bob::add, present -> "joined", 2))
                .as("the cap is per channel")
                .hasSize(1);
        presence.remoteLeave(new PresenceKey.Member("edge-b.2", "cx", "group:42"), 1001);
        assertThat(presence.join("group:42", "cb", info("bob"), bob::add, present -> "joined", 2))
                .as("room again once someone left")
                .hasSize(2);
    }
}
