package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Convergence under concurrent writers, whatever the source: clients subscribe one after another while
 * a writer inserts, updates and deletes rows, so each snapshot lands mid-stream; each must be stitched
 * to the stream with no gap, duplicate or regression and end equal to what the database holds.
 *
 * <p>A source's test extends this and says where its server listens and where its {@code todos}
 * table is: a table with an auto-generated {@code id} key, {@code owner_id}, {@code title} and a
 * boolean {@code done}, whose rules let a user read the rows she owns. The writer's SQL ({@code
 * insert ... returning}, {@code not done}) is the same for PostgreSQL and MariaDB.
 */
abstract class ConvergenceContract {

    /** The WebSocket URL of the edge serving the source. */
    protected abstract String liveUrl();

    /** A token for user {@code sub} that the edge accepts. */
    protected abstract String token(String sub) throws Exception;

    /** A connection to the database that holds {@code todos}, in auto-commit. */
    protected abstract Connection database() throws Exception;

    /** The subscription's {@code source} (if not the default) and {@code table} naming {@code todos}. */
    protected abstract Map<String, Object> todos();

    /** A client-side materialisation that fails on any operation the protocol would never send. */
    static final class Materialised {
        /** The column whose text is {@code v<version>}. */
        final String column;

        final Map<Long, Long> versions = new HashMap<>();
        final Map<Long, String> rows = new HashMap<>();
        final List<String> violations = new ArrayList<>();

        Materialised() {
            this("title");
        }

        Materialised(String column) {
            this.column = column;
        }

        void snapshot(JsonNode frame) {
            versions.clear();
            rows.clear();
            frame.path("rows").forEach(r -> {
                versions.put(r.path("id").asLong(), version(r));
                rows.put(r.path("id").asLong(), r.toString());
            });
        }

        void changes(JsonNode frame) {
            for (JsonNode c : frame.path("changes")) {
                long id = c.path("key").path("id").asLong();
                String op = c.path("op").asText();
                Long held = versions.get(id);
                switch (op) {
                    case "added" -> {
                        if (held != null) {
                            violations.add("added a row already held: " + c);
                        }
                        versions.put(id, version(c.path("row")));
                        rows.put(id, c.path("row").toString());
                    }
                    case "changed" -> {
                        if (held == null) {
                            violations.add("changed a row not held: " + c);
                        } else if (version(c.path("row")) < held) {
                            violations.add("regressed from v" + held + ": " + c);
                        } else if (c.path("row").toString().equals(rows.get(id))) {
                            violations.add("the same change twice: " + c);
                        }
                        versions.put(id, version(c.path("row")));
                        rows.put(id, c.path("row").toString());
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
        }

        long version(JsonNode row) {
            return Long.parseLong(row.path(column).asText().substring(1));
        }
    }

    private static Map<Long, Long> databaseState(Connection db) throws Exception {
        Map<Long, Long> state = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs =
                        st.executeQuery("select id, title from todos where owner_id = 'carol' and title like 'v%'")) {
            while (rs.next()) {
                state.put(rs.getLong(1), Long.parseLong(rs.getString(2).substring(1)));
            }
        }
        return state;
    }

    @Test
    void clientsSubscribingDuringWritesGetNoGapNoDuplicateNoRegressionAndConverge() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(writing), "writer");
        List<LiveClient> clients = new ArrayList<>();
        List<Materialised> views = new ArrayList<>();
        try (Connection db = database()) {
            writer.start();
            for (int i = 0; i < 4; i++) {
                LiveClient client = LiveClient.connect(liveUrl());
                client.sendJson(Map.of("type", "auth", "token", token("carol"), "id", "a"));
                client.await("ready", "a");
                Map<String, Object> subscribe = new LinkedHashMap<>(todos());
                subscribe.putAll(Map.of("type", "subscribe", "id", "q", "where", Map.of("title", Map.of("gte", "v"))));
                client.sendJson(subscribe);
                Materialised view = new Materialised();
                view.snapshot(client.await("snapshot", "q"));
                clients.add(client);
                views.add(view);
                // let the writer move on between subscriptions, so each snapshot lands mid-stream
                long seen = counter;
                await().atMost(Duration.ofSeconds(10)).until(() -> counter > seen + 40);
            }
            writing.set(false);
            writer.join(30_000);
            assertThat(writerError).isNull();
            Map<Long, Long> expected = databaseState(db);
            assertThat(expected).isNotEmpty();
            for (int i = 0; i < clients.size(); i++) {
                LiveClient client = clients.get(i);
                Materialised view = views.get(i);
                String name = "client " + i;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    drain(client, view);
                    assertThat(view.versions).as(name).isEqualTo(expected);
                });
                assertThat(view.violations).as(name).isEmpty();
            }
        } finally {
            writing.set(false);
            clients.forEach(LiveClient::close);
        }
    }

    private static void drain(LiveClient client, Materialised view) {
        JsonNode frame;
        while ((frame = client.poll()) != null) {
            if ("changes".equals(frame.path("type").asText())) {
                view.changes(frame);
            } else if ("snapshot".equals(frame.path("type").asText())
                    || "reset".equals(frame.path("type").asText())) {
                view.violations.add("unexpected " + frame);
            }
        }
    }

    private volatile long counter;
    private volatile Throwable writerError;

    /** Inserts one of carol's rows titled {@code title}, returning its id; MySQL, without RETURNING, overrides it. */
    protected long insertCarols(Statement st, String title) throws SQLException {
        try (ResultSet rs =
                st.executeQuery("insert into todos(owner_id, title) values ('carol', '" + title + "') returning id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts, updates (with a growing version in the title) and deletes carol's rows, in small transactions. */
    private void write(AtomicBoolean writing) {
        Random random = new Random(42);
        List<Long> ids = new ArrayList<>();
        try (Connection db = database();
                Statement st = db.createStatement()) {
            while (writing.get()) {
                long version = ++counter;
                int choice = ids.size() < 5 ? 0 : random.nextInt(10);
                if (choice < 4) {
                    ids.add(insertCarols(st, "v" + version));
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
