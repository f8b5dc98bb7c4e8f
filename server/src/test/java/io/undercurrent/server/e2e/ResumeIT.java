package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.change.Topics;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume (DESIGN.md guarantee 7) end to end: clients that leave for a while under concurrent
 * writes and come back with the position of the last frame they applied get {@code resumed} and
 * exactly the changes they missed (no gap, duplicate or regression, and the database's state in the
 * end), and positions that cannot be resumed get {@code reset} and a fresh snapshot.
 */
class ResumeIT {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path rulesDir;

    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        for (String file : List.of("todos.yaml", "projects.yaml")) {
            Files.copy(Path.of("..", "rules", file), rulesDir.resolve(file));
        }
        // several change partitions: positions carry a mark per partition, and a resume replays each
        server = EmbeddedServer.start(
                dataDir,
                Map.of(
                        "UNDERCURRENT_RULES_DIR",
                        rulesDir.toString(),
                        "UNDERCURRENT_KAFKA_CHANGE_PARTITIONS",
                        "3",
                        // The writers do not pace themselves: while an edge is killed they can write more
                        // than the default 10,000 deltas a resume replays, and that reset is correct. These
                        // tests are about resume's exactness, so the bound is raised out of their way.
                        "UNDERCURRENT_EDGE_MAX_BUFFERED_DELTAS",
                        "1000000"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final Map<String, Object> QUERY =
            Map.of("table", "public.todos", "where", Map.of("title", Map.of("gte", "v")));

    /**
     * One client's view of its live query across connections: rows, the position of the last frame
     * applied, and every operation checked against what it holds.
     */
    private static final class Resuming {
        final String user;
        final Map<Long, String> rows = new HashMap<>();
        final Map<Long, Long> versions = new HashMap<>();
        final Map<Long, Long> highest = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        String position;
        /** The first frame answering the last subscribe: a reset's reason tells why a resume was refused. */
        JsonNode lastAnswer;

        int snapshots;
        int resumes;
        LiveClient client;
        String url = server.liveUrl();

        Resuming(String user) {
            this.user = user;
        }

        /** Connects and subscribes, resuming from the last position when there is one; returns the answer's type. */
        String connect() throws Exception {
            client = LiveClient.connect(url);
            client.sendJson(Map.of("type", "auth", "token", server.token(user, "user"), "id", "a"));
            JsonNode ready = client.await("ready", "a");
            assertThat(ready.path("features").toString()).contains("resume");
            Map<String, Object> subscribe = new LinkedHashMap<>(QUERY);
            subscribe.put("type", "subscribe");
            subscribe.put("id", "q");
            if (position != null) {
                subscribe.put("after", position);
            }
            client.sendJson(subscribe);
            JsonNode first = client.await(
                    f -> "q".equals(f.path("id").asText())
                            && List.of("snapshot", "resumed", "reset", "error")
                                    .contains(f.path("type").asText()),
                    Duration.ofSeconds(30));
            apply(first);
            lastAnswer = first;
            return first.path("type").asText();
        }

        /** Applies every frame received so far. */
        void drain() {
            JsonNode frame;
            while ((frame = client.poll()) != null) {
                apply(frame);
            }
        }

        /** Applies what has arrived, then leaves without a word (as a dropped network would). */
        void disconnect() {
            drain();
            client.close();
            client = null;
        }

        void apply(JsonNode frame) {
            if (!"q".equals(frame.path("id").asText())) {
                return;
            }
            switch (frame.path("type").asText()) {
                case "snapshot" -> {
                    snapshots++;
                    rows.clear();
                    versions.clear();
                    frame.path("rows").forEach(r -> {
                        long id = r.path("id").asLong();
                        long v = version(r);
                        if (highest.getOrDefault(id, 0L) > v) {
                            violations.add("snapshot regressed row " + id + " to v" + v);
                        }
                        versions.put(id, v);
                        rows.put(id, r.toString());
                        highest.merge(id, v, Math::max);
                    });
                }
                case "resumed" -> resumes++;
                case "reset" -> violations.add("reset where a resume was possible: " + frame);
                case "error" -> violations.add("error: " + frame);
                case "changes" -> frame.path("changes").forEach(this::change);
                default -> {}
            }
            if (frame.has("position")) {
                position = frame.path("position").asText();
            }
        }

        private void change(JsonNode c) {
            long id = c.path("key").path("id").asLong();
            String op = c.path("op").asText();
            Long held = versions.get(id);
            switch (op) {
                case "added" -> {
                    if (held != null) {
                        violations.add("added a row already held: " + c);
                    }
                    take(id, c.path("row"), c);
                }
                case "changed" -> {
                    if (held == null) {
                        violations.add("changed a row not held (a gap): " + c);
                    } else if (c.path("row").toString().equals(rows.get(id))) {
                        violations.add("the same change twice: " + c);
                    }
                    take(id, c.path("row"), c);
                }
                case "removed" -> {
                    if (held == null) {
                        violations.add("removed a row not held: " + c);
                    }
                    versions.remove(id);
                    rows.remove(id);
                }
                default -> violations.add("unknown op " + op);
            }
        }

        private void take(long id, JsonNode row, JsonNode c) {
            long v = version(row);
            if (highest.getOrDefault(id, 0L) > v) {
                violations.add("regressed from v" + highest.get(id) + ": " + c);
            }
            versions.put(id, v);
            rows.put(id, row.toString());
            highest.merge(id, v, Math::max);
        }

        private static long version(JsonNode row) {
            return Long.parseLong(row.path("title").asText().substring(1));
        }
    }

    @Test
    void clientsThatLeaveUnderWritesResumeWithExactlyWhatTheyMissed() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write("carol", writing), "writer");
        List<Resuming> views = List.of(new Resuming("carol"), new Resuming("carol"), new Resuming("carol"));
        try (Connection db = server.database()) {
            writer.start();
            for (Resuming view : views) {
                assertThat(view.connect()).isEqualTo("snapshot");
                awaitWrites(20);
            }
            for (int round = 0; round < 3; round++) {
                for (Resuming view : views) {
                    view.disconnect();
                    awaitWrites(30); // missed while away
                    assertThat(view.connect()).as("answer to a resume").isEqualTo("resumed");
                    awaitWrites(15);
                    view.drain();
                }
            }
            writing.set(false);
            writer.join(30_000);
            assertThat(writerError).isNull();
            Map<Long, Long> expected = databaseState(db, "carol");
            assertThat(expected).isNotEmpty();
            for (Resuming view : views) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    view.drain();
                    assertThat(view.versions).isEqualTo(expected);
                });
                assertThat(view.violations).isEmpty();
                assertThat(view.snapshots)
                        .as("snapshots: only the first subscribe")
                        .isEqualTo(1);
                assertThat(view.resumes).isEqualTo(3);
            }
        } finally {
            writing.set(false);
            views.forEach(v -> {
                if (v.client != null) {
                    v.client.close();
                }
            });
        }
    }

    @Test
    void aClientWhoseEdgeWasKilledResumesOnAnother() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = SplitRoles.joining(
                server.node,
                rulesDir,
                Map.of("UNDERCURRENT_EDGE_ID", "edge-killed", "UNDERCURRENT_HTTP_PORT", "" + port));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write("ivan", writing), "writer");
        Resuming view = new Resuming("ivan");
        Resuming witness = new Resuming("ivan"); // on the surviving edge throughout
        try (ChildJvm edge = SplitRoles.child("edge", Role.EDGE, env);
                Connection db = server.database()) {
            view.url = "ws://127.0.0.1:" + port + "/v1/live";
            writer.start();
            awaitWrites(10);
            assertThat(view.connect()).isEqualTo("snapshot");
            assertThat(witness.connect()).isEqualTo("snapshot");
            awaitWrites(30);
            view.drain();
            edge.killHard();
            view.disconnect();
            awaitWrites(30);
            writing.set(false);
            writer.join(30_000);
            assertThat(writerError).isNull();
            Map<Long, Long> expected = databaseState(db, "ivan");
            // once the witness holds the database's rows, every change was routed: what the killed
            // edge's client missed can now only come from the resume's replay
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                witness.drain();
                assertThat(witness.versions).isEqualTo(expected);
            });
            assertThat(view.versions).as("the client missed changes").isNotEqualTo(expected);
            view.url = server.liveUrl();
            assertThat(view.connect())
                    .as(() -> "answer to a resume on another edge: " + view.lastAnswer)
                    .isEqualTo("resumed");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                view.drain();
                assertThat(view.versions).isEqualTo(expected);
            });
            assertThat(view.violations).isEmpty();
            assertThat(witness.violations).isEmpty();
            assertThat(view.snapshots).isEqualTo(1);
        } finally {
            writing.set(false);
            for (Resuming r : List.of(view, witness)) {
                if (r.client != null) {
                    r.client.close();
                }
            }
        }
    }

    /** One event of a Server-Sent Events stream. */
    private record Event(String name, String id, JsonNode data) {}

    /** Reads a {@code GET /v1/live/sse} stream on a thread of its own, event by event. */
    private static final class EventStream implements AutoCloseable {
        final int status;
        final String body;
        private final java.util.concurrent.LinkedBlockingQueue<Event> events =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.io.InputStream in;

        EventStream(String query, Map<String, String> headers) throws Exception {
            var builder = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.node.http().address() + "/v1/live/sse?" + query));
            headers.forEach(builder::header);
            var response = java.net.http.HttpClient.newHttpClient()
                    .send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            in = response.body();
            if (status != 200) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                return;
            }
            body = null;
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(
                                    name,
                                    id,
                                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(data.toString())));
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (Exception e) {
                // the stream ended
            }
        }

        Event next() throws InterruptedException {
            Event event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).as("an event within 30 s").isNotNull();
            return event;
        }

        @Override
        public void close() throws Exception {
            in.close();
        }
    }

    private static String sseQuery() {
        return "table=public.todos&where="
                + java.net.URLEncoder.encode("{\"title\":{\"gte\":\"v\"}}", java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void serverSentEventsCarryPositionsAsIdsAndResumeFromLastEventId() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + server.token("jack", "user"));
        insert("jack", "v1");
        String lastId;
        try (EventStream stream = new EventStream(sseQuery(), auth)) {
            assertThat(stream.status).isEqualTo(200);
            Event snapshot = stream.next();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.data().path("rows")).hasSize(1);
            assertThat(snapshot.id())
                    .isEqualTo(snapshot.data().path("position").asText())
                    .startsWith("u1.");
            insert("jack", "v2");
            Event changes = stream.next();
            assertThat(changes.name()).isEqualTo("changes");
            assertThat(changes.id()).isEqualTo(changes.data().path("position").asText());
            lastId = changes.id();
        }
        insert("jack", "v3"); // while away

        Map<String, String> again = new HashMap<>(auth);
        again.put("Last-Event-ID", lastId);
        try (EventStream stream = new EventStream(sseQuery(), again)) {
            Event answer = stream.next();
            assertThat(answer.name()).as(answer.data().toString()).isEqualTo("resumed");
            Event missed = stream.next();
            assertThat(missed.name()).isEqualTo("changes");
            assertThat(missed.data().path("changes")).hasSize(1);
            assertThat(missed.data()
                            .path("changes")
                            .get(0)
                            .path("row")
                            .path("title")
                            .asText())
                    .isEqualTo("v3");
        }

        try (EventStream refused = new EventStream(sseQuery(), Map.of("Authorization", "Bearer not-a-token"))) {
            assertThat(refused.status).isEqualTo(401);
            assertThat(refused.body).contains("unauthenticated");
        }
        try (EventStream refused = new EventStream(sseQuery() + "&token=" + server.token("jack", "user"), Map.of())) {
            assertThat(refused.status)
                    .as("the token parameter is off by default")
                    .isEqualTo(401);
            assertThat(refused.body).contains("edge.sse-token-parameter");
        }
        try (EventStream bad = new EventStream("where=%7B", auth)) {
            assertThat(bad.status).isEqualTo(400);
        }
    }

    @Test
    void positionsThatCannotBeResumedGetResetAndAFreshSnapshot() throws Exception {
        String position = positionOf("erin", QUERY);

        String mac = position.substring(position.length() - 4);
        String tampered = position.substring(0, position.length() - 4) + (mac.equals("AAAA") ? "BBBB" : "AAAA");
        assertReset("erin", QUERY, tampered, "not one this deployment issued");

        // another deployment signs under another key: the same content with another signature
        byte[] bytes = Base64.getUrlDecoder().decode(position.substring(3));
        for (int i = bytes.length - 16; i < bytes.length; i++) {
            bytes[i] = (byte) (bytes[i] + 1);
        }
        String foreign = "u1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertReset("erin", QUERY, foreign, "not one this deployment issued");

        assertReset("erin", QUERY, "snapshot:741:745:", "not one this deployment issued");
        assertReset("frank", QUERY, position, "another subscriber");
        assertReset(
                "erin",
                Map.of("table", "public.todos", "where", Map.of("title", Map.of("gte", "w"))),
                position,
                "another query");

        Map<String, Object> window = Map.of(
                "table",
                "public.todos",
                "where",
                Map.of("title", Map.of("gte", "v")),
                "orderBy",
                List.of(List.of("title", "asc")),
                "limit",
                5);
        assertReset("erin", window, positionOf("erin", window), "limit is not resumed");

        // the resume itself works (the case above are refused, not broken)
        JsonNode resumed = subscribe("erin", QUERY, position);
        assertThat(resumed.path("type").asText()).isEqualTo("resumed");
    }

    @Test
    void aPositionWhoseChangesAreNoLongerKeptGetsReset() throws Exception {
        String position;
        try (LiveClient client = LiveClient.connect(server.liveUrl())) {
            client.sendJson(Map.of("type", "auth", "token", server.token("gina", "user"), "id", "a"));
            client.await("ready", "a");
            Map<String, Object> subscribe = new LinkedHashMap<>(QUERY);
            subscribe.put("type", "subscribe");
            subscribe.put("id", "q");
            client.sendJson(subscribe);
            position = client.await("snapshot", "q").path("position").asText();
            insert("gina", "v1");
            client.await("changes", "q"); // routed: the change topic may now be cut below it
        }
        String topic = new Topics(server.node.config().get(ServerSettings.TOPIC_PREFIX)).changes("app");
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                server.node.embedded().kafka().bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(20, TimeUnit.SECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get(20, TimeUnit.SECONDS)
                    .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get(20, TimeUnit.SECONDS);
        }
        assertReset("gina", QUERY, position, "no longer kept");
    }

    @Test
    void aPositionFromBeforeARulesChangeGetsReset() throws Exception {
        String position = positionOf("hugo", QUERY);
        Path todos = rulesDir.resolve("todos.yaml");
        String original = Files.readString(todos);
        try {
            Files.writeString(
                    todos,
                    original.replace(
                            "row.owner_id == auth.sub || auth.role == 'admin'",
                            "row.owner_id == auth.sub || auth.role == 'admin' || auth.role == 'auditor'"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rulesChangedFor(position));
            assertReset("hugo", QUERY, position, "rules of the table changed");
        } finally {
            Files.writeString(todos, original);
            // the rules' version is a hash of their text: once the original is back in force, the
            // original position resumes again, and the tests after this one see settled rules
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "resumed"
                            .equals(subscribe("hugo", QUERY, position)
                                    .path("type")
                                    .asText()));
        }
    }

    /** True once a subscribe with this position is refused because the rules changed. */
    private static boolean rulesChangedFor(String position) throws Exception {
        JsonNode answer = subscribe("hugo", QUERY, position);
        return "reset".equals(answer.path("type").asText())
                && answer.path("reason").asText().contains("rules");
    }

    private static void assertReset(String user, Map<String, Object> query, String after, String reason)
            throws Exception {
        try (LiveClient client = LiveClient.connect(server.liveUrl())) {
            client.sendJson(Map.of("type", "auth", "token", server.token(user, "user"), "id", "a"));
            client.await("ready", "a");
            Map<String, Object> subscribe = new LinkedHashMap<>(query);
            subscribe.put("type", "subscribe");
            subscribe.put("id", "q");
            subscribe.put("after", after);
            client.sendJson(subscribe);
            JsonNode reset = client.await(
                    f -> "q".equals(f.path("id").asText())
                            && !"ready".equals(f.path("type").asText()),
                    Duration.ofSeconds(30));
            assertThat(reset.path("type").asText()).as(reset.toString()).isEqualTo("reset");
            assertThat(reset.path("reason").asText()).contains(reason);
            JsonNode snapshot = client.await("snapshot", "q");
            assertThat(snapshot.has("position")).isTrue();
        }
    }

    /** The answer to a subscribe with {@code after}. */
    private static JsonNode subscribe(String user, Map<String, Object> query, String after) throws Exception {
        try (LiveClient client = LiveClient.connect(server.liveUrl())) {
            client.sendJson(Map.of("type", "auth", "token", server.token(user, "user"), "id", "a"));
            client.await("ready", "a");
            Map<String, Object> subscribe = new LinkedHashMap<>(query);
            subscribe.put("type", "subscribe");
            subscribe.put("id", "q");
            subscribe.put("after", after);
            client.sendJson(subscribe);
            return client.await(
                    f -> "q".equals(f.path("id").asText())
                            && !"ready".equals(f.path("type").asText()),
                    Duration.ofSeconds(30));
        }
    }

    /** The position of a fresh snapshot of the query for the user. */
    private static String positionOf(String user, Map<String, Object> query) throws Exception {
        try (LiveClient client = LiveClient.connect(server.liveUrl())) {
            client.sendJson(Map.of("type", "auth", "token", server.token(user, "user"), "id", "a"));
            client.await("ready", "a");
            Map<String, Object> subscribe = new LinkedHashMap<>(query);
            subscribe.put("type", "subscribe");
            subscribe.put("id", "q");
            client.sendJson(subscribe);
            String position = client.await("snapshot", "q").path("position").asText();
            assertThat(position).startsWith("u1.");
            return position;
        }
    }

    private static void insert(String owner, String title) throws Exception {
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            st.executeUpdate("insert into todos(owner_id, title) values ('" + owner + "', '" + title + "')");
        }
    }

    private static void awaitWrites(int count) {
        long seen = counter;
        await().atMost(Duration.ofSeconds(20)).until(() -> counter > seen + count);
    }

    private static Map<Long, Long> databaseState(Connection db, String owner) throws Exception {
        Map<Long, Long> state = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "select id, title from todos where owner_id = '" + owner + "' and title like 'v%'")) {
            while (rs.next()) {
                state.put(rs.getLong(1), Long.parseLong(rs.getString(2).substring(1)));
            }
        }
        return state;
    }

    private static volatile long counter;
    private static volatile Throwable writerError;

    /** Inserts, updates (a growing version in the title) and deletes the owner's rows, in small transactions. */
    private static void write(String owner, AtomicBoolean writing) {
        Random random = new Random(7);
        List<Long> ids = new ArrayList<>();
        try (Connection db = server.database();
                Statement st = db.createStatement()) {
            while (writing.get()) {
                long version = ++counter;
                int choice = ids.size() < 5 ? 0 : random.nextInt(10);
                if (choice < 4) {
                    try (ResultSet rs = st.executeQuery("insert into todos(owner_id, title) values ('" + owner + "', 'v"
                            + version + "') returning id")) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                } else if (choice < 9) {
                    long id = ids.get(random.nextInt(ids.size()));
                    db.setAutoCommit(false);
                    st.executeUpdate("update todos set title = 'v" + version + "' where id = " + id);
                    st.executeUpdate("update todos set done = not done where id = " + id);
                    db.commit();
                    db.setAutoCommit(true);
                } else {
                    long id = ids.remove(random.nextInt(ids.size()));
                    st.executeUpdate("delete from todos where id = " + id);
                }
            }
        } catch (Throwable e) {
            writerError = e;
        }
    }
}
