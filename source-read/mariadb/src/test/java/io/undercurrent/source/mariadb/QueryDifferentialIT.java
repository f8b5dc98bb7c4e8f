package io.undercurrent.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.Schemas;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.spi.CodePoints;
import io.undercurrent.query.spi.ValueCoercion;
import io.undercurrent.source.jdbc.QueryDifferential;
import io.undercurrent.source.mariadb.testing.LocalMariaDb;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snapshot SQL and the in-memory matcher must agree on every row of a real MariaDB: for many
 * generated filters, the keys MariaDB returns equal the keys the matcher accepts over the same rows
 * read back with {@link MariaDbRowReader}; and windows ({@code orderBy} + {@code limit}) come back in
 * the order the matcher's comparisons give. Reproduce a failure with
 * {@code -Dundercurrent.query.seed=<seed printed in the failure>}.
 */
class QueryDifferentialIT {
    private static final long SEED = Long.getLong("undercurrent.query.seed", 20_240_501L);
    private static final int ROWS = 400;
    private static final int FILTERS = Integer.getInteger("undercurrent.query.filters", 3000);

    private static LocalMariaDb db;
    private static Connection connection;
    private static TableSchema schema;
    private static Map<Long, Map<String, Object>> rows;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LocalMariaDb.unsupportedReason() == null, LocalMariaDb.unsupportedReason());
        db = LocalMariaDb.start();
        db.execute("", "CREATE DATABASE app CHARACTER SET utf8mb4");
        connection = DriverManager.getConnection(db.jdbcUrl("app"), LocalMariaDb.ROOT, "");
        try (Statement s = connection.createStatement()) {
            // As the reader's pool sets it: TIMESTAMPs in UTC, text as UTF-8.
            s.execute("SET time_zone = '+00:00', NAMES utf8mb4");
        }
        ItemsTable.create(connection);
        ItemsTable.fill(connection, ROWS, new Random(SEED));
        schema = new MariaDbSchemaReader("app", "app").read(connection, ItemsTable.TABLE);
        rows = readAll(connection);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Map<Long, Map<String, Object>> readAll(Connection c) throws SQLException {
        MariaDbRowReader reader = new MariaDbRowReader(schema);
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
        LiveQuery all = new LiveQueryParser().parse(Schemas.json("{'table':'app.items'}"), schema);
        try (PreparedStatement s = new MariaDbSqlBuilder().snapshot(all, schema).prepare(c);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = reader.read(rs);
                out.put((Long) row.get("id"), row);
            }
        }
        return out;
    }

    @Test
    void theSchemaMapsEachTypeToItsKind() {
        Map<String, ColumnType> kinds = new LinkedHashMap<>();
        schema.columns().forEach(c -> kinds.put(c.name(), c.type()));
        assertThat(kinds)
                .containsEntry("u8", ColumnType.INTEGER)
                .containsEntry("yr", ColumnType.INTEGER)
                .containsEntry("num", ColumnType.DECIMAL)
                .containsEntry("f4", ColumnType.FLOAT)
                .containsEntry("b", ColumnType.BOOLEAN)
                .containsEntry("mood", ColumnType.TEXT)
                .containsEntry("tags", ColumnType.TEXT)
                .containsEntry("js", ColumnType.TEXT)
                .containsEntry("u", ColumnType.UUID)
                .containsEntry("tstz", ColumnType.TIMESTAMPTZ)
                .containsEntry("ts", ColumnType.TIMESTAMP)
                .containsEntry("d", ColumnType.DATE)
                .containsEntry("tm", ColumnType.TIME)
                .containsEntry("byt", ColumnType.BYTES);
        assertThat(schema.primaryKey()).containsExactly("id");
    }

    @Test
    void sqlAndMatcherAgreeOnEveryGeneratedFilter() {
        new QueryDifferential(connection, ItemsTable.TABLE, schema, rows, new MariaDbSqlBuilder()::snapshot)
                .assertAgreement(SEED, FILTERS, ItemsTable.EXTRA_CONSTANTS);
    }

    /** Each window is exactly the first rows of the matching ones, sorted as canonical values compare. */
    @Test
    void windowsAreTheFirstMatchingRowsInCanonicalOrder() throws Exception {
        MariaDbSqlBuilder builder = new MariaDbSqlBuilder();
        for (String column : List.of(
                "t", "vc", "ch", "lat", "mood", "u", "tstz", "ts", "num", "u8", "f4", "f8", "d", "tm", "b", "i8")) {
            for (String direction : List.of("asc", "desc")) {
                JsonNode frame = Schemas.json("{'table':'app.items','where':{'i4':{'isNull':false}}," + "'orderBy':[['"
                        + column + "','" + direction + "']],'limit':25}");
                LiveQuery query = new LiveQueryParser().parse(frame, schema);
                RowMatcher matcher = RowMatcher.compile(query.where(), schema);
                List<Long> got = new ArrayList<>();
                try (PreparedStatement s = builder.snapshot(query, schema).prepare(connection);
                        ResultSet rs = s.executeQuery()) {
                    MariaDbRowReader reader = new MariaDbRowReader(schema);
                    while (rs.next()) {
                        Map<String, Object> row = reader.read(rs);
                        assertThat(row).isEqualTo(rows.get((Long) row.get("id")));
                        got.add((Long) row.get("id"));
                    }
                }
                Comparator<Map<String, Object>> byColumn =
                        nullsLast(schema.column(column).type(), column, direction.equals("desc"));
                List<Long> expected = rows.values().stream()
                        .filter(matcher::matches)
                        .sorted(byColumn.thenComparing(row -> (Long) row.get("id")))
                        .limit(25)
                        .map(row -> (Long) row.get("id"))
                        .toList();
                assertThat(got).as("%s %s", column, direction).isEqualTo(expected);
            }
        }
    }

    /** Ascending with NULLs last, or descending with NULLs first, as canonical values of {@code type} compare. */
    private static Comparator<Map<String, Object>> nullsLast(ColumnType type, String column, boolean descending) {
        Comparator<Object> values = switch (type) {
            case TEXT, UUID ->
                (a, b) -> CodePoints.compare((String) a, ((String) a).length(), (String) b, ((String) b).length());
            case BOOLEAN -> (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case TIMESTAMPTZ, TIMESTAMP, DATE, TIME ->
                Comparator.comparingLong(v -> ValueCoercion.parseTemporal(type, (String) v));
            default ->
                Comparator.comparing(v -> v instanceof Double d ? new BigDecimal(d) : new BigDecimal(v.toString()));
        };
        Comparator<Object> ordered = descending ? values.reversed() : values;
        Comparator<Object> withNulls = descending ? Comparator.nullsFirst(ordered) : Comparator.nullsLast(ordered);
        return (a, b) -> withNulls.compare(a.get(column), b.get(column));
    }
}
