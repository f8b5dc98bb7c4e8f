package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules that look other tables up, end to end through real PostgreSQL, Kafka and WebSocket: the
 * project's {@code rules/messages.yaml} lets a subscriber read a message only when
 * {@code exists(member, row.group_id, auth.sub)} finds their membership of its group in
 * {@code public.memberships}, which the server keeps in memory from a snapshot and the table's change
 * stream. A member sees the group's messages, a non-member never does; a membership inserted brings the
 * group's messages as {@code added}, a membership deleted takes them away as {@code removed}, and a
 * message written after the removal never reaches the removed member.
 */
class LookupsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedServer.start(dataDir, Map.of());
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.execute("create table memberships (id bigserial primary key, group_id bigint not null,"
                    + " user_id text not null, role text not null default 'member')");
            st.execute("create table messages (id bigserial primary key, group_id bigint not null,"
                    + " author_id text not null, body text not null, author_email text)");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMemberSeesTheGroupsMessagesAndANonMemberNever() throws Exception {
        try (Connection db = server.database()) {
            join(db, 1, "alice");
            join(db, 2, "bob");
            long before = post(db, 1, "alice", "before-subscribe-1");
            awaitLookupsReady();

            View alice = View.open("alice");
            View bob = View.open("bob");
            alice.subscribeMessages("m");
            bob.subscribeMessages("m");
            await().atMost(WAIT).until(() -> alice.bodies().contains("before-subscribe-1"));

            long during = post(db, 1, "alice", "live-1");
            post(db, 2, "bob", "live-2");
            await().atMost(WAIT).until(() -> alice.bodies().contains("live-1"));
            await().atMost(WAIT).until(() -> bob.bodies().contains("live-2"));
            post(db, 2, "bob", "sentinel-2"); // bob's later frame: anything of group 1 would have come first
            await().atMost(WAIT).until(() -> bob.bodies().contains("sentinel-2"));

            assertThat(bob.everSeen()).doesNotContain("before-subscribe-1", "live-1");
            assertThat(alice.everSeen()).doesNotContain("live-2", "sentinel-2");
            assertThat(alice.rows.keySet()).contains(before, during);
            alice.close();
            bob.close();
        }
    }

    @Test
    void aMembershipBringsTheGroupsMessagesInAndItsRemovalTakesThemOut() throws Exception {
        try (Connection db = server.database()) {
            join(db, 5, "carol"); // her own group, for a sentinel
            join(db, 3, "dave"); // a member who sees every message of group 3
            long first = post(db, 3, "dave", "g3-first");
            long second = post(db, 3, "dave", "g3-second");
            awaitLookupsReady();

            View carol = View.open("carol");
            View dave = View.open("dave");
            carol.subscribeMessages("m");
            dave.subscribeMessages("m");
            await().atMost(WAIT).until(() -> dave.bodies().containsAll(List.of("g3-first", "g3-second")));
            assertThat(carol.everSeen()).doesNotContain("g3-first", "g3-second");

            long membership = join(db, 3, "carol");
            await().atMost(WAIT).until(() -> carol.rows.keySet().containsAll(List.of(first, second)));
            assertThat(carol.ops(first)).containsExactly("added");

            try (Statement st = db.createStatement()) {
                st.executeUpdate("delete from memberships where id = " + membership);
            }
            await().atMost(WAIT).until(() -> !carol.rows.containsKey(first) && !carol.rows.containsKey(second));
            assertThat(carol.ops(first)).containsExactly("added", "removed");

            long after = post(db, 3, "dave", "g3-after-removal");
            await().atMost(WAIT).until(() -> dave.rows.containsKey(after));
            post(db, 5, "carol", "g5-sentinel");
            await().atMost(WAIT).until(() -> carol.bodies().contains("g5-sentinel"));
            assertThat(carol.everSeen()).doesNotContain("g3-after-removal");
            assertThat(carol.rows).doesNotContainKey(after);
            carol.close();
            dave.close();
        }
    }

    /** The lookup table is loaded (rules consulting it deny until then). */
    private static void awaitLookupsReady() {
        await().atMost(WAIT)
                .until(() -> server.health()
                        .path("lookups")
                        .path("tables")
                        .path("app/public.memberships")
                        .asText()
                        .startsWith("ready"));
    }

    private static long join(Connection db, long group, String user) throws Exception {
        return insert(
                db, "insert into memberships(group_id, user_id) values (" + group + ", '" + user + "') returning id");
    }

    private static long post(Connection db, long group, String author, String body) throws Exception {
        return insert(
                db,
                "insert into messages(group_id, author_id, body, author_email) values (" + group + ", '" + author
                        + "', '" + body + "', '" + author + "@example.com') returning id");
    }

    private static long insert(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A signed-in client whose rows are materialised from every frame, in arrival order. */
    private static final class View implements AutoCloseable {
        final Map<Long, JsonNode> rows = new ConcurrentHashMap<>();
        final Map<Long, List<String>> history = new ConcurrentHashMap<>();
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        final LiveClient client;

        private View(String url) {
            this.client = LiveClient.connect(url, this::onFrame);
        }

        static View open(String user) throws Exception {
            View view = new View(server.liveUrl());
            view.client.sendJson(Map.of("type", "auth", "token", server.token(user, "user"), "id", "a"));
            await().atMost(WAIT)
                    .until(() -> view.frames.stream()
                            .anyMatch(f -> f.path("type").asText().equals("ready")));
            return view;
        }

        void subscribeMessages(String id) {
            client.sendJson(Map.of("type", "subscribe", "id", id, "table", "public.messages"));
            await().atMost(WAIT)
                    .until(() -> frames.stream()
                            .anyMatch(f -> f.path("type").asText().equals("snapshot")));
        }

        private void onFrame(JsonNode frame) {
            frames.add(frame);
            switch (frame.path("type").asText()) {
                case "snapshot" -> {
                    rows.clear();
                    frame.path("rows").forEach(r -> rows.put(r.path("id").asLong(), r));
                }
                case "changes" ->
                    frame.path("changes").forEach(c -> {
                        long id = c.path("key").path("id").asLong();
                        history.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                .add(c.path("op").asText());
                        if (c.path("op").asText().equals("removed")) {
                            rows.remove(id);
                        } else {
                            rows.put(id, c.path("row"));
                        }
                    });
                default -> {}
            }
        }

        Set<String> bodies() {
            Set<String> out = ConcurrentHashMap.newKeySet();
            rows.values().forEach(r -> out.add(r.path("body").asText()));
            return out;
        }

        /** Every message body any frame ever carried. */
        String everSeen() {
            return frames.toString();
        }

        List<String> ops(long id) {
            return history.getOrDefault(id, List.of());
        }

        @Override
        public void close() {
            assertThat(frames).noneMatch(f -> f.path("type").asText().equals("error"));
            client.close();
        }
    }
}
