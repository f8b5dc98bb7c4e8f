package io.undercurrent.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server running ingest and the router in one process routes the changes ingest had acknowledged at
 * their offsets, without waiting for its consumer to fetch them ({@code router.local-changes}): a
 * client gets every change of a row, once and in commit order, though the consumer reads each of them
 * too; with the setting off, every change comes through the consumer.
 */
class LocalChangesIT {

    private static final int UPDATES = 200;

    @TempDir
    Path dataDir;

    @Test
    void roleAllRoutesAcknowledgedChangesAtOnceAndKeepsEachRowsChangesInOrder() throws Exception {
        try (EmbeddedServer server =
                EmbeddedServer.start(dataDir, Map.of("UNDERCURRENT_ROUTER_LOCAL_CHANGES", "true"))) {
            List<String> titles = updatesSeenInOrder(server);
            assertThat(titles).as("every update, once, in commit order").containsExactlyElementsOf(expectedTitles());
            assertThat(localChanges(server))
                    .as("changes the router took from ingest directly")
                    .isPositive();
        }
    }

    @Test
    void byDefaultEveryChangeComesThroughTheConsumer() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(dataDir, Map.of())) {
            List<String> titles = updatesSeenInOrder(server);
            assertThat(titles).containsExactlyElementsOf(expectedTitles());
            assertThat(localChanges(server)).isZero();
        }
    }

    private static List<String> expectedTitles() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= UPDATES; i++) {
            out.add("v" + i);
        }
        return out;
    }

    /** Inserts a row, updates it in quick succession, and returns the titles the client saw, in order. */
    private static List<String> updatesSeenInOrder(EmbeddedServer server) throws Exception {
        try (LiveClient client = LiveClient.connect(server.liveUrl());
                Connection db = server.database();
                Statement st = db.createStatement()) {
            client.sendJson(Map.of("type", "auth", "token", server.token("alice", "user"), "id", "a1"));
            client.await("ready", "a1");
            long id;
            try (ResultSet rs =
                    st.executeQuery("insert into todos(owner_id, title) values ('alice', 'v0') returning id")) {
                rs.next();
                id = rs.getLong(1);
            }
            client.sendJson(Map.of(
                    "type", "subscribe", "id", "q1", "table", "public.todos", "where", Map.of("id", Map.of("eq", id))));
            client.await("snapshot", "q1");
            for (int i = 1; i <= UPDATES; i++) {
                st.executeUpdate("update todos set title = 'v" + i + "' where id = " + id);
            }
            client.await(f -> LiveClient.mentions(f, "\"v" + UPDATES + "\""), Duration.ofSeconds(60));
            List<String> titles = new ArrayList<>();
            for (JsonNode frame : client.seen()) {
                if (frame.path("type").asText().equals("changes")) {
                    for (JsonNode change : frame.path("changes")) {
                        String title = change.path("row").path("title").asText();
                        if (!title.equals("v0")) {
                            titles.add(title);
                        }
                    }
                }
            }
            return titles;
        }
    }

    private static double localChanges(EmbeddedServer server) {
        return server.node
                .metrics()
                .registry()
                .get("undercurrent.router.local.changes")
                .functionCounter()
                .count();
    }
}
