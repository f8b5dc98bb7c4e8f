package io.undercurrent.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReader;
import io.undercurrent.source.SourceReaderContract;
import io.undercurrent.source.SourceUnavailableException;
import io.undercurrent.source.mariadb.internal.GtidSet;
import io.undercurrent.source.mariadb.testing.Docker;
import io.undercurrent.source.mariadb.testing.MySql8;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MySQLContainer;

/**
 * The MySQL reader against a real MySQL 8.4 with GTIDs on, in a container: the seam's contract (its
 * stitching cases decide by the GTID each write's transaction got, which is what ingest's change
 * events carry as {@code txId}), MySQL's JSON type and its accent- and case-insensitive default
 * collation, and the messages for a user without {@code RELOAD}. Skipped with a message where no
 * Docker engine runs.
 */
class MySqlSourceReaderIT extends SourceReaderContract {

    private static MySQLContainer<?> mysql;
    private static MySqlSourceReader reader;

    @BeforeAll
    static void start() throws Exception {
        if (!Docker.available()) {
            return; // each test skips, saying why
        }
        mysql = MySql8.container("app", "uc", "uc");
        mysql.start();
        root("GRANT SELECT, RELOAD, REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'uc'@'%'");
        reader = new MySqlSourceReader(settings("uc"));
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.close();
        }
        if (mysql != null) {
            mysql.stop();
        }
    }

    /** As the server connects: the MariaDB driver, which speaks to MySQL's caching_sha2_password too. */
    private static MariaDbReaderSettings settings(String user) {
        String url = "jdbc:mariadb://" + mysql.getHost() + ":" + mysql.getMappedPort(3306)
                + "/app?allowPublicKeyRetrieval=true";
        return new MariaDbReaderSettings("my", url, "app", user, "uc", 2, null);
    }

    private static Connection rootConnection() throws Exception {
        return DriverManager.getConnection(mysql.getJdbcUrl(), "root", mysql.getPassword());
    }

    private static void root(String... statements) throws Exception {
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @BeforeEach
    void emptyTable() throws Exception {
        Docker.assumeAvailable("MySqlSourceReaderIT");
        root("DROP TABLE IF EXISTS app.owned", "CREATE TABLE app.owned (id bigint PRIMARY KEY, owner text, n bigint)");
    }

    @Override
    protected SourceReader reader() {
        return reader;
    }

    @Override
    protected String table() {
        return "app.owned";
    }

    @Override
    protected ChangeStamp insert(int id, String owner, int n) throws Exception {
        return insertCommittedAfter(id, owner, n, () -> {});
    }

    /** The stamp carries the GTID MySQL gave the transaction: with one writer, what its commit added. */
    @Override
    protected ChangeStamp insertCommittedAfter(int id, String owner, int n, Runnable whileOpen) throws Exception {
        try (Connection c = rootConnection()) {
            String before = executed(c);
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO app.owned VALUES (?, ?, ?)")) {
                insert.setLong(1, id);
                insert.setString(2, owner);
                insert.setLong(3, n);
                insert.executeUpdate();
            }
            whileOpen.run();
            c.commit();
            c.setAutoCommit(true);
            String added;
            try (PreparedStatement s = c.prepareStatement("SELECT GTID_SUBTRACT(@@global.gtid_executed, ?)")) {
                s.setString(1, before);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    added = rs.getString(1).strip();
                }
            }
            // One transaction: uuid:n (the set of one GTID prints as that GTID).
            assertThat(added).matches("[0-9a-f-]{36}:\\d+");
            assertThat(GtidSet.parse(added).contains(added)).isTrue();
            return new ChangeStamp(added, null, null);
        }
    }

    private static String executed(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@global.gtid_executed")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theTokenIsTheExecutedGtidSetAndReadsBack() throws Exception {
        ChangeStamp before = insert(1, "a", 1);
        ReadResult result = read("{}");
        assertThat(result.point().token()).startsWith("gtid:");
        assertThat(reader.readPoint(result.point().token()).sees(before)).isTrue();
        try (Connection c = rootConnection()) {
            assertThat(result.point().token()).isEqualTo("gtid:" + GtidSet.parse(executed(c)));
        }
    }

    @Test
    void jsonIsParsedAndTextComparesByItsBytesNotTheCollation() throws Exception {
        root(
                "DROP TABLE IF EXISTS app.docs",
                "CREATE TABLE app.docs (id bigint PRIMARY KEY, title varchar(20), doc json)"
                        + " DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_0900_ai_ci",
                "INSERT INTO app.docs VALUES (1, 'a', '{\"x\": [1, 2]}'), (2, 'A', 'null'), (3, 'á', NULL),"
                        + " (4, 'a ', '[]')");
        TableSchema schema = reader.schema("app.docs");
        assertThat(schema.column("doc").type()).isEqualTo(ColumnType.JSON);
        List<Map<String, Object>> a = read(schema, "{\"where\":{\"title\":{\"eq\":\"a\"}}}");
        assertThat(a).extracting(row -> row.get("id")).containsExactly(1L);
        assertThat(a.get(0).get("doc")).isEqualTo(Map.of("x", List.of(1L, 2L)));
        // A JSON null document reads as null, so isNull holds for it as for SQL NULL (the matcher's view).
        List<Map<String, Object>> nulls = read(schema, "{\"where\":{\"doc\":{\"isNull\":true}}}");
        assertThat(nulls).extracting(row -> row.get("id")).containsExactly(2L, 3L);
        List<Map<String, Object>> ordered = read(schema, "{\"orderBy\":[[\"title\",\"asc\"]]}");
        assertThat(ordered).extracting(row -> row.get("id")).containsExactly(2L, 1L, 4L, 3L);
    }

    @Test
    void aUserWithoutReloadIsToldWhatToGrant() throws Exception {
        root(
                "DROP USER IF EXISTS 'noreload'@'%'",
                "CREATE USER 'noreload'@'%' IDENTIFIED BY 'uc'", "GRANT SELECT ON app.* TO 'noreload'@'%'");
        try (MySqlSourceReader refused = new MySqlSourceReader(settings("noreload"))) {
            TableSchema schema = refused.schema(table());
            ReadRequest request = new ReadRequest(new LiveQuery("my", table(), null, null, null, null), schema, 10);
            assertThatThrownBy(() -> refused.read(request, RowGate.ALL))
                    .isInstanceOfSatisfying(
                            SourceUnavailableException.class,
                            e -> assertThat(e.getMessage())
                                    .contains("lacks RELOAD")
                                    .contains("GRANT RELOAD ON *.* TO 'noreload'"));
        }
    }

    private ReadResult read(String json) throws Exception {
        TableSchema schema = reader.schema(table());
        return reader.read(new ReadRequest(parse(json, schema), schema, 100), RowGate.ALL);
    }

    private List<Map<String, Object>> read(TableSchema schema, String json) throws Exception {
        return reader.read(new ReadRequest(parse(json, schema), schema, 100), RowGate.ALL)
                .rows();
    }

    private static LiveQuery parse(String json, TableSchema schema) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        node.put("table", schema.table());
        return new io.undercurrent.query.LiveQueryParser().parse(node, schema);
    }
}
