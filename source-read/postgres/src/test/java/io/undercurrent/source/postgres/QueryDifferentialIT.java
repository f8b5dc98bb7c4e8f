package io.undercurrent.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.Schemas;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.jdbc.QueryDifferential;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snapshot SQL and the in-memory matcher must agree on every row: for many generated
 * filters, the keys PostgreSQL returns equal the keys the matcher accepts over the same
 * rows read back with JdbcRowReader. Reproduce a failure with
 * {@code -Dundercurrent.query.seed=<seed printed in the failure>}.
 */
class QueryDifferentialIT {
    private static final long SEED = Long.getLong("undercurrent.query.seed", 20_240_501L);
    private static final int ROWS = 400;
    private static final int FILTERS = Integer.getInteger("undercurrent.query.filters", 3000);

    private static EmbeddedPostgres postgres;
    private static Connection connection;
    private static TableSchema schema;
    private static Map<Long, Map<String, Object>> rows;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        connection = postgres.getPostgresDatabase().getConnection();
        ItemsTable.create(connection);
        ItemsTable.fill(connection, ROWS, new Random(SEED));
        schema = new PostgresSchemaReader("app").read(connection, ItemsTable.TABLE);
        rows = readAll(connection);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Map<Long, Map<String, Object>> readAll(Connection c) throws SQLException {
        JdbcRowReader reader = new JdbcRowReader(schema);
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
        // A prepared statement run several times also exercises the driver's binary transfer.
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM public.items ORDER BY id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = reader.read(rs);
                out.put((Long) row.get("id"), row);
            }
        }
        return out;
    }

    @Test
    void sqlAndMatcherAgreeOnEveryGeneratedFilter() {
        new QueryDifferential(connection, ItemsTable.TABLE, schema, rows, new PostgresSqlBuilder()::snapshot)
                .assertAgreement(SEED, FILTERS, ItemsTable.EXTRA_CONSTANTS);
    }

    @Test
    void orderedAndLimitedSnapshotsReturnMatchingRowsInOrder() throws Exception {
        PostgresSqlBuilder builder = new PostgresSqlBuilder();
        for (String column : List.of("t", "ch", "ci", "mood", "u", "tstz", "num", "f4", "d", "tm", "b")) {
            JsonNode frame = Schemas.json("{'table':'public.items','where':{'i4':{'isNull':false}}," + "'orderBy':[['"
                    + column + "','desc'],'i8'],'limit':25}");
            LiveQuery query = new LiveQueryParser().parse(frame, schema);
            RowMatcher matcher = RowMatcher.compile(query.where(), schema);
            List<Map<String, Object>> got = new ArrayList<>();
            try (PreparedStatement s = builder.snapshot(query, schema).prepare(connection);
                    ResultSet rs = s.executeQuery()) {
                JdbcRowReader reader = new JdbcRowReader(schema);
                while (rs.next()) {
                    got.add(reader.read(rs));
                }
            }
            assertThat(got).hasSize(25).allSatisfy(row -> {
                assertThat(matcher.matches(row)).isTrue();
                assertThat(row).isEqualTo(rows.get((Long) row.get("id")));
            });
        }
    }

    @Test
    void binaryTransferAndSessionTimeZoneDoNotChangeValues() throws Exception {
        String url = postgres.getJdbcUrl("postgres", "postgres") + "&prepareThreshold=-1";
        try (Connection binary = DriverManager.getConnection(url)) {
            try (Statement s = binary.createStatement()) {
                s.execute("SET TIME ZONE 'America/St_Johns'");
            }
            assertThat(readAll(binary)).isEqualTo(rows);
            assertThat(readAll(binary)).isEqualTo(rows);
        }
    }
}
