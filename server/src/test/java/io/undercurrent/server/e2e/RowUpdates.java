package io.undercurrent.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One row of {@code todos} updated in quick succession while a client watches it: what it saw, in order. */
final class RowUpdates {

    private RowUpdates() {}

    /** The titles {@code v1..v<updates>}, as {@link #seenInOrder} returns them when nothing is lost or reordered. */
    static List<String> expected(int updates) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= updates; i++) {
            out.add("v" + i);
        }
        return out;
    }

    /**
     * Inserts a row of alice's, subscribes to it, sets its title to {@code v1..v<updates>} one update
     * after the other, and returns the titles the client saw in its changes, in order, once the last
     * one arrived (within {@code within}).
     */
    static List<String> seenInOrder(EmbeddedServer server, int updates, Duration within) throws Exception {
        try (LiveClient client = LiveClient.connect(server.liveUrl());
                Connection db = server.database();
                Statement st = db.createStatement()) {
            client.authenticate(server.token("alice", "user"), "a1");
            long id;
            try (ResultSet rs =
                    st.executeQuery("insert into todos(owner_id, title) values ('alice', 'v0') returning id")) {
                rs.next();
                id = rs.getLong(1);
            }
            client.sendJson(Map.of(
                    "type", "subscribe", "id", "q1", "table", "public.todos", "where", Map.of("id", Map.of("eq", id))));
            client.await("snapshot", "q1");
            for (int i = 1; i <= updates; i++) {
                st.executeUpdate("update todos set title = 'v" + i + "' where id = " + id);
            }
            client.await(f -> LiveClient.mentions(f, "\"v" + updates + "\""), within);
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
}
