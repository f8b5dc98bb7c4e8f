package io.undercurrent.server.e2e;

import static io.undercurrent.server.e2e.LiveClient.mentions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A live query on a MySQL-dialect table through every real component, whatever the database: its
 * binlog read by Debezium in ingest, an in-process Kafka broker, the router, rules for the table, the
 * WebSocket edge reading snapshots with the database's reader, and a real WebSocket client.
 *
 * <p>A database's test extends this, serves its {@link ShopDatabase} with {@link #serve} and names the
 * columns of types only it has ({@link OwnColumns}) and the text its rows carry ({@link #tag()}).
 */
abstract class ShopEndToEndContract {

    /**
     * Columns of types only this database has, placed after {@code doc}: their definitions, their names
     * and their values in the agreement test, each starting with a space and ending with a comma.
     */
    record OwnColumns(String definitions, String names, String values) {
        static final OwnColumns NONE = new OwnColumns("", "", "");
    }

    private static final String RULES = """
            source: shop
            table: app.todos
            read: "row.owner_id == auth.sub || auth.role == 'admin'"
            fields:
              internal_note: "auth.role == 'admin'"
            """;

    /** Creates {@code todos} with every type the agreement test compares, and serves {@code db}. */
    static ServedShop serve(ShopDatabase db, OwnColumns own, Path dataDir, Path rulesDir) throws Exception {
        return ServedShop.start(
                db,
                dataDir,
                rulesDir,
                RULES,
                "CREATE TABLE todos (id bigint AUTO_INCREMENT PRIMARY KEY, owner_id varchar(64) NOT NULL,"
                        + " title text, done boolean NOT NULL DEFAULT false, internal_note text,"
                        + " price decimal(12,2), ratio float, score double, day date, at_time time(6),"
                        + " local_at datetime(6), zoned timestamp(6) NULL, doc json," + own.definitions()
                        + " raw varbinary(8), big bigint unsigned, yr year) ENGINE=InnoDB",
                "INSERT INTO todos (owner_id, title, internal_note) VALUES ('alice', 'Buy milk', 'VIP'),"
                        + " ('bob', 'Fix bike', 'n/a'), ('alice', 'Call mom', 'weekly')");
    }

    /** The served database and its server. */
    protected abstract ServedShop shop();

    /** The columns {@link #serve} was given. */
    protected abstract OwnColumns own();

    /** Ends the titles this test writes ({@code alice-new-<tag>}), so a frame is told apart by its text. */
    protected abstract String tag();

    /** Asserts what this database alone sends for the agreement test's row, as the snapshot read it. */
    protected void assertOwnForms(ObjectNode fromSnapshot) {}

    private Connection database() throws Exception {
        return shop().db.connect();
    }

    private LiveClient signedIn(String sub, String role) throws Exception {
        return shop().server.signedIn(sub, role);
    }

    private static long insert(Connection c, String owner, String title) throws Exception {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO todos (owner_id, title, internal_note) VALUES ('" + owner + "', '" + title
                    + "', 'note for " + title + "')");
            try (ResultSet rs = st.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theOwnerSeesHerRowsMaskedThenAddedChangedAndMovedOut() throws Exception {
        String bobSecret = "bob-secret-" + tag();
        String aliceNew = "alice-new-" + tag();
        String aliceRenamed = "alice-renamed-" + tag();
        String nowBobs = "now-bobs-" + tag();
        try (LiveClient alice = signedIn("alice", "user");
                Connection c = database()) {
            alice.sendJson(Map.of("type", "subscribe", "id", "q1", "source", "shop", "table", "app.todos"));
            JsonNode snapshot = alice.await("snapshot", "q1");
            assertThat(snapshot.path("keyColumns").toString()).isEqualTo("[\"id\"]");
            assertThat(snapshot.path("rows")).hasSize(2).allSatisfy(row -> {
                assertThat(row.path("owner_id").asText()).isEqualTo("alice");
                assertThat(row.has("internal_note"))
                        .as("masked field in %s", row)
                        .isFalse();
                assertThat(row.path("done").isBoolean()).isTrue();
            });

            long bobs = insert(c, "bob", bobSecret);
            long alices = insert(c, "alice", aliceNew);
            JsonNode added = alice.awaitChange("added", aliceNew);
            assertThat(added.path("key").path("id").asLong()).isEqualTo(alices);
            assertThat(added.path("row").has("internal_note")).isFalse();
            assertThat(alice.seen()).noneMatch(f -> mentions(f, bobSecret) || mentions(f, "\"id\":" + bobs + "}"));

            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE todos SET title = '" + aliceRenamed + "', done = true WHERE id = " + alices);
            }
            JsonNode changed = alice.awaitChange("changed", aliceRenamed);
            assertThat(changed.path("row").path("done").asBoolean()).isTrue();

            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE todos SET owner_id = 'bob', title = '" + nowBobs + "' WHERE id = " + alices);
            }
            JsonNode removed = alice.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "removed"
                                    .equals(f.path("changes").get(0).path("op").asText()),
                    Duration.ofSeconds(60));
            assertThat(removed.path("changes").get(0).path("key").path("id").asLong())
                    .isEqualTo(alices);
            assertThat(alice.seen()).noneMatch(f -> mentions(f, nowBobs));
        }
    }

    @Test
    void anAdminSeesMaskedFieldsAndDeletes() throws Exception {
        String carols = "carol-" + tag();
        try (LiveClient admin = signedIn("root", "admin");
                Connection c = database()) {
            admin.sendJson(Map.of("type", "subscribe", "id", "all", "source", "shop", "table", "app.todos"));
            JsonNode snapshot = admin.await("snapshot", "all");
            assertThat(snapshot.path("rows").get(0).has("internal_note")).isTrue();
            long id = insert(c, "carol", carols);
            JsonNode added = admin.awaitChange("added", carols);
            assertThat(added.path("row").path("internal_note").asText()).isEqualTo("note for " + carols);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM todos WHERE id = " + id);
            }
            JsonNode removed = admin.await(
                    f -> "changes".equals(f.path("type").asText())
                            && "removed"
                                    .equals(f.path("changes").get(0).path("op").asText())
                            && f.path("changes").get(0).path("key").path("id").asLong() == id,
                    Duration.ofSeconds(60));
            assertThat(removed).isNotNull();
        }
    }

    /**
     * The same values, read once by the snapshot reader (JDBC) and once by ingest (the binlog through
     * Debezium), reach the client as the same JSON: the canonical forms agree for every type.
     */
    @Test
    void aSnapshotRowAndAStreamedRowOfTheSameValuesAreTheSame() throws Exception {
        String values = "'agree', 'agree-%s', true, 'n', 12.50, 1.1, 0.30000000000000004, '2024-02-29',"
                + " '-01:02:03.000004', '2024-05-01 12:00:00.5', '2024-05-01 12:00:00.000001', '{\"a\": [1, 2.5]}',"
                + own().values() + " x'00ff10', 18446744073709551615, 2024";
        String columns = "(owner_id, title, done, internal_note, price, ratio, score, day, at_time, local_at, zoned,"
                + " doc," + own().names() + " raw, big, yr)";
        try (Connection c = database();
                Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            st.executeUpdate("INSERT INTO todos " + columns + " VALUES (" + values.formatted("before") + ")");
            try (LiveClient admin = signedIn("root", "admin")) {
                admin.sendJson(Map.of(
                        "type",
                        "subscribe",
                        "id",
                        "agree",
                        "source",
                        "shop",
                        "table",
                        "app.todos",
                        "where",
                        Map.of("owner_id", Map.of("eq", "agree"))));
                JsonNode snapshot = admin.await("snapshot", "agree");
                assertThat(snapshot.path("rows")).hasSize(1);
                st.executeUpdate("INSERT INTO todos " + columns + " VALUES (" + values.formatted("after") + ")");
                JsonNode streamed = admin.awaitChange("added", "agree-after").path("row");
                ObjectNode fromSnapshot =
                        (ObjectNode) snapshot.path("rows").get(0).deepCopy();
                ObjectNode fromStream = (ObjectNode) streamed.deepCopy();
                for (ObjectNode row : new ObjectNode[] {fromSnapshot, fromStream}) {
                    row.remove("id");
                    row.remove("title");
                }
                assertThat(fromStream).isEqualTo(fromSnapshot);
                assertOwnForms(fromSnapshot);
                assertThat(fromSnapshot.path("zoned").asText()).isEqualTo("2024-05-01T12:00:00.000001Z");
                assertThat(fromSnapshot.path("ratio").asDouble())
                        .isEqualTo(1.100000023841858); // a FLOAT widened exactly, as ingest sends it
            }
        }
    }
}
