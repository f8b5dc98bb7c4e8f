package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
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
 * message written after the removal never reaches the removed member. A hot reload that looks up a
 * new table loads it; a table over {@code rules.lookups.max-rows-per-table} is refused with an error
 * naming the setting, and the rules that look it up deny. The same membership decides who may be in
 * the group's channel ({@code rules/group-channels.yaml}): a membership deleted takes the member out of
 * {@code group:<id>} ({@code left}, code {@code forbidden}), the others see it leave, and nothing
 * published there reaches it any more.
 */
class LookupsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Small, so one test can pass it. */
    private static final int MAX_ROWS = 100;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        try (var files = Files.list(Path.of("..", "rules"))) {
            for (Path file : files.toList()) {
                Files.copy(file, rulesDir.resolve(file.getFileName()));
            }
        }
        server = EmbeddedServer.start(
                dataDir,
                Map.of(
                        "UNDERCURRENT_RULES_DIR",
                        rulesDir.toString(),
                        "UNDERCURRENT_RULES_LOOKUPS_MAX_ROWS_PER_TABLE",
                        Integer.toString(MAX_ROWS)));
        // The embedded default seeds the group chat example's tables (examples/chat-web): start from
        // none of their rows, with the looked-up table loaded and empty.
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.execute("delete from messages");
            st.execute("delete from memberships");
        }
        awaitLookup("app/public.memberships", "ready, 0 rows");
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
            assertThat(alice.rows().keySet()).contains(before, during);
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
            await().atMost(WAIT).until(() -> carol.rows().keySet().containsAll(List.of(first, second)));
            assertThat(carol.ops(first)).containsExactly("added");

            try (Statement st = db.createStatement()) {
                st.executeUpdate("delete from memberships where id = " + membership);
            }
            await().atMost(WAIT)
                    .until(() ->
                            !carol.rows().containsKey(first) && !carol.rows().containsKey(second));
            assertThat(carol.ops(first)).containsExactly("added", "removed");

            long after = post(db, 3, "dave", "g3-after-removal");
            await().atMost(WAIT).until(() -> dave.rows().containsKey(after));
            post(db, 5, "carol", "g5-sentinel");
            await().atMost(WAIT).until(() -> carol.bodies().contains("g5-sentinel"));
            assertThat(carol.everSeen()).doesNotContain("g3-after-removal");
            assertThat(carol.rows()).doesNotContainKey(after);
            carol.close();
            dave.close();
        }
    }

    @Test
    void aMemberRemovedFromAGroupIsTakenOutOfItsChannel() throws Exception {
        try (Connection db = server.database()) {
            long leaving = join(db, 8, "frank");
            join(db, 8, "gina");
            join(db, 9, "frank"); // a channel frank stays in, for a sentinel
            join(db, 9, "gina");
            awaitMembershipsLoaded(db);

            View frank = View.open("frank");
            View gina = View.open("gina");
            frank.joinChannel("group:8");
            frank.joinChannel("group:9");
            gina.joinChannel("group:8");
            gina.joinChannel("group:9");
            assertThat(gina.frame("joined", "group:8").path("presence").toString())
                    .contains("frank");

            try (Statement st = db.createStatement()) {
                st.executeUpdate("delete from memberships where id = " + leaving);
            }
            JsonNode left = frank.awaitFrame("left", "group:8");
            assertThat(left.path("code").asText()).isEqualTo("forbidden");
            assertThat(left.has("id"))
                    .as("the server took frank out; he did not ask")
                    .isFalse();
            await().atMost(WAIT)
                    .until(() -> gina.frames.stream()
                            .anyMatch(f -> f.path("type").asText().equals("presence")
                                    && f.path("channel").asText().equals("group:8")
                                    && f.path("leaves").toString().contains("frank")));

            gina.publish("p1", "group:8", Map.of("typing", true));
            gina.publish("p2", "group:9", Map.of("sentinel", true));
            // One messages topic, read in order: anything of group:8 would reach frank before the sentinel.
            JsonNode sentinel = frank.awaitFrame("message", "group:9");
            assertThat(sentinel.path("data").path("sentinel").asBoolean()).isTrue();
            assertThat(frank.frames)
                    .noneMatch(f -> f.path("type").asText().equals("message")
                            && f.path("channel").asText().equals("group:8"));
            frank.close();
            gina.close();
        }
    }

    /** The lookups hold exactly the memberships the table holds now. */
    private static void awaitMembershipsLoaded(Connection db) throws Exception {
        long rows;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from memberships")) {
            rs.next();
            rows = rs.getLong(1);
        }
        awaitLookup("app/public.memberships", "ready, " + rows + " rows");
    }

    @Test
    void aLookupTableAddedByAHotReloadIsLoadedAndOneOverItsBoundDenies() throws Exception {
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.execute("create table docs (id bigint primary key, title text not null)");
            st.execute(
                    "create table readers (id bigserial primary key, doc_id bigint not null, user_id text not null)");
            st.execute("create table posters (id bigint primary key, title text not null)");
            st.execute("create table crowd (id bigserial primary key, user_id text not null)");
            st.execute("insert into docs values (1, 'doc-1'), (2, 'doc-2')");
            st.execute("insert into readers(doc_id, user_id) values (1, 'erin')");
            st.execute("insert into posters values (1, 'poster-1')");
            st.execute("insert into crowd(user_id) select 'fan-' || n from generate_series(1, " + MAX_ROWS + ") n");
            st.execute("insert into crowd(user_id) values ('erin')");

            Files.writeString(rulesDir.resolve("docs.yaml"), """
                    table: public.docs
                    lookups:
                      reader: {table: public.readers, key: [doc_id, user_id]}
                    read: "auth != null && exists(reader, row.id, auth.sub)"
                    """);
            Files.writeString(rulesDir.resolve("posters.yaml"), """
                    table: public.posters
                    lookups:
                      fan: {table: public.crowd, key: [user_id]}
                    read: "auth != null && exists(fan, auth.sub)"
                    """);
            awaitLookup("app/public.readers", "ready");
            awaitLookup("app/public.crowd", "over limit");
            assertThat(server.health()
                            .path("lookups")
                            .path("problems")
                            .path("app/public.crowd")
                            .asText())
                    .contains("more than " + MAX_ROWS + " rows", "rules.lookups.max-rows-per-table");

            View erin = View.open("erin");
            erin.subscribe("d", "public.docs");
            await().atMost(WAIT).until(() -> erin.values("d", "title").contains("doc-1"));
            assertThat(erin.values("d", "title")).containsExactly("doc-1");
            erin.subscribe("p", "public.posters");
            st.executeUpdate("insert into readers(doc_id, user_id) values (2, 'erin')");
            await().atMost(WAIT).until(() -> erin.values("d", "title").contains("doc-2"));
            st.executeUpdate("insert into posters values (2, 'poster-2')");
            st.executeUpdate("update docs set title = 'doc-1-later' where id = 1");
            await().atMost(WAIT).until(() -> erin.values("d", "title").contains("doc-1-later"));
            assertThat(erin.everSeen())
                    .as("a table over its bound cannot grant")
                    .doesNotContain("poster-1", "poster-2");
            erin.close();
        }
    }

    /** The lookup table is loaded (rules consulting it deny until then). */
    private static void awaitLookupsReady() {
        awaitLookup("app/public.memberships", "ready");
    }

    private static void awaitLookup(String table, String state) {
        await().atMost(WAIT)
                .until(() -> server.health()
                        .path("lookups")
                        .path("tables")
                        .path(table)
                        .asText()
                        .startsWith(state));
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
        final Map<String, Map<Long, JsonNode>> byQuery = new ConcurrentHashMap<>();
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
            subscribe(id, "public.messages");
        }

        void subscribe(String id, String table) {
            client.sendJson(Map.of("type", "subscribe", "id", id, "table", table));
            await().atMost(WAIT)
                    .until(() -> frames.stream()
                            .anyMatch(f -> f.path("type").asText().equals("snapshot")
                                    && f.path("id").asText().equals(id)));
        }

        void joinChannel(String channel) {
            client.sendJson(Map.of("type", "join", "id", "join-" + channel, "channel", channel));
            awaitFrame("joined", channel);
        }

        void publish(String id, String channel, Object data) {
            client.sendJson(Map.of("type", "publish", "id", id, "channel", channel, "data", data));
            await().atMost(WAIT)
                    .until(() -> frames.stream()
                            .anyMatch(f -> f.path("type").asText().equals("published")
                                    && f.path("id").asText().equals(id)));
        }

        /** The first frame of this type in this channel, once it has arrived. */
        JsonNode awaitFrame(String type, String channel) {
            await().atMost(WAIT).until(() -> frame(type, channel) != null);
            return frame(type, channel);
        }

        JsonNode frame(String type, String channel) {
            return frames.stream()
                    .filter(f -> f.path("type").asText().equals(type)
                            && f.path("channel").asText().equals(channel))
                    .findFirst()
                    .orElse(null);
        }

        private void onFrame(JsonNode frame) {
            frames.add(frame);
            Map<Long, JsonNode> rows = rows(frame.path("id").asText());
            switch (frame.path("type").asText()) {
                case "snapshot" -> {
                    rows.clear();
                    frame.path("rows").forEach(r -> rows.put(r.path("id").asLong(), r));
                }
                case "changes" ->
                    frame.path("changes").forEach(c -> {
                        long id = c.path("key").path("id").asLong();
                        if (frame.path("id").asText().equals("m")) {
                            history.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                                    .add(c.path("op").asText());
                        }
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
            return values("m", "body");
        }

        /** The values of {@code column} in the rows query {@code id} holds. */
        Set<String> values(String id, String column) {
            Set<String> out = ConcurrentHashMap.newKeySet();
            rows(id).values().forEach(r -> out.add(r.path(column).asText()));
            return out;
        }

        /** The rows of the messages query. */
        Map<Long, JsonNode> rows() {
            return rows("m");
        }

        Map<Long, JsonNode> rows(String id) {
            return byQuery.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
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
