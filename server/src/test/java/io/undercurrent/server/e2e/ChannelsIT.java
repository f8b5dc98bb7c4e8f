package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ephemeral channels across edges, through the real Kafka: clients on two edges (one in this JVM,
 * one in a child JVM killed with SIGKILL) see each other's presence and typing; a closed connection
 * and a killed edge leave presence; a client the channel rule refuses gets {@code forbidden}.
 */
class ChannelsIT {

    private static final Duration TTL = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    /** A client's view of one channel's presence, kept from the frames it received. */
    private static Set<String> present(LiveClient client, String channel) {
        while (client.poll() != null) {
            // take in every frame that has arrived
        }
        Set<String> subs = new TreeSet<>();
        for (JsonNode frame : client.seen()) {
            if (!channel.equals(frame.path("channel").asText())) {
                continue;
            }
            switch (frame.path("type").asText()) {
                case "joined" -> {
                    subs.clear();
                    frame.path("presence")
                            .forEach(m -> subs.add(m.path("info").path("sub").asText()));
                }
                case "presence" -> {
                    frame.path("joins")
                            .forEach(m -> subs.add(m.path("info").path("sub").asText()));
                    frame.path("leaves")
                            .forEach(m -> subs.remove(m.path("info").path("sub").asText()));
                }
                default -> {}
            }
        }
        return subs;
    }

    /**
     * Waits until {@code client} sees exactly {@code expected} present; on timeout the failure shows
     * what it saw and the frames it received in that channel.
     */
    private static void awaitPresent(LiveClient client, String channel, Set<String> expected, Duration within) {
        await().atMost(within)
                .untilAsserted(() -> assertThat(present(client, channel))
                        .as(() -> "presence in " + channel + " from the frames "
                                + client.seen().stream()
                                        .filter(f ->
                                                channel.equals(f.path("channel").asText()))
                                        .toList())
                        .isEqualTo(expected));
    }

    private static LiveClient signedIn(String url, DevTokenHandler tokens, String sub, String role) throws Exception {
        LiveClient client = LiveClient.connect(url);
        client.sendJson(Map.of("type", "auth", "token", tokens.sign(sub, role, 600), "id", "a"));
        client.await("ready", "a");
        return client;
    }

    private static void join(LiveClient client, String channel) {
        client.sendJson(Map.of("type", "join", "id", "j", "channel", channel));
        client.await("joined", "j");
    }

    @Test
    void clientsOnTwoEdgesSeeEachOtherAndLeaveWhenTheirConnectionOrEdgeDies() throws Exception {
        Files.writeString(rulesDir.resolve("channels.yaml"), """
        channel: "group:*"
        join: "auth != null && auth.role == 'user'"
        publish: "auth != null && auth.role == 'user'"
        presence: [sub]
        """);
        Map<String, String> ttl = Map.of("UNDERCURRENT_EDGE_HEARTBEAT_TTL", TTL.toSeconds() + "s");
        Map<String, String> infraEnv = new java.util.HashMap<>(ttl);
        infraEnv.put("UNDERCURRENT_EDGE_ID", "e1");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> childEnv = new java.util.HashMap<>(ttl);
        childEnv.put("UNDERCURRENT_EDGE_ID", "e2");
        childEnv.put("UNDERCURRENT_HTTP_PORT", Integer.toString(port));
        try (ServerNode edge1 = SplitRoles.start(SplitRoles.infrastructure(dataDir, rulesDir, infraEnv), Role.EDGE);
                ChildJvm edge2 = SplitRoles.child("edge2", Role.EDGE, SplitRoles.joining(edge1, rulesDir, childEnv))) {
            DevTokenHandler tokens = new DevTokenHandler(edge1.embedded().devSecret(), Clock.systemUTC());
            String url1 = SplitRoles.liveUrl(edge1);
            String url2 = "ws://127.0.0.1:" + port + "/v1/live";
            try (LiveClient alice = signedIn(url1, tokens, "alice", "user");
                    LiveClient bob = signedIn(url2, tokens, "bob", "user");
                    LiveClient carol = signedIn(url2, tokens, "carol", "user");
                    LiveClient eve = signedIn(url1, tokens, "eve", "guest")) {
                join(alice, "group:42");
                join(bob, "group:42");
                join(carol, "group:42");
                awaitPresent(alice, "group:42", Set.of("alice", "bob", "carol"), Duration.ofSeconds(30));
                awaitPresent(bob, "group:42", Set.of("alice", "bob", "carol"), Duration.ofSeconds(30));
                assertThat(alice.seen().toString())
                        .as("only the claims the rule lists")
                        .doesNotContain("\"role\"");

                // typing, across edges, not echoed to its publisher
                bob.sendJson(
                        Map.of("type", "publish", "id", "m1", "channel", "group:42", "data", Map.of("typing", true)));
                bob.await("published", "m1");
                JsonNode typing =
                        alice.await(f -> "message".equals(f.path("type").asText()), Duration.ofSeconds(30));
                assertThat(typing.path("from").path("info").path("sub").asText())
                        .isEqualTo("bob");
                assertThat(typing.path("data").toString()).isEqualTo("{\"typing\":true}");
                carol.await(f -> "message".equals(f.path("type").asText()), Duration.ofSeconds(30));
                assertThat(bob.seen())
                        .noneMatch(f -> "message".equals(f.path("type").asText()));

                // a client the rule refuses: forbidden, and nobody sees it
                eve.sendJson(Map.of("type", "join", "id", "e1", "channel", "group:42"));
                JsonNode refused = eve.await("error", "e1");
                assertThat(refused.path("code").asText()).isEqualTo("forbidden");
                eve.sendJson(Map.of("type", "publish", "id", "e2", "channel", "group:42", "data", 1));
                assertThat(eve.await("error", "e2").path("code").asText()).isEqualTo("bad_request");

                // a closed connection leaves presence at once, on the other edge too
                carol.close();
                awaitPresent(alice, "group:42", Set.of("alice", "bob"), Duration.ofSeconds(30));

                // a killed edge: its clients leave presence everywhere within its heartbeat TTL
                long killedAt = System.nanoTime();
                edge2.killHard();
                awaitPresent(alice, "group:42", Set.of("alice"), Duration.ofSeconds(60));
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
                        .isLessThan(TTL.multipliedBy(2).plusSeconds(5));

                // and a newcomer on the surviving edge is told only who is still there
                try (LiveClient dave = signedIn(url1, tokens, "dave", "user")) {
                    join(dave, "group:42");
                    assertThat(present(dave, "group:42")).isEqualTo(Set.of("alice", "dave"));
                }
            }
        }
    }
}
