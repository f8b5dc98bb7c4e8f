package io.undercurrent.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.testing.RandomFilters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The differential test of a JDBC reader's snapshot SQL against the in-memory matcher: for many
 * generated filters ({@link RandomFilters}), the keys the database returns must equal the keys the
 * matcher accepts over the same rows, as the reader read them. Each reader's {@code
 * QueryDifferentialIT} fills its table on a real database and runs this.
 */
public final class QueryDifferential {

    /** How a reader writes a snapshot statement (its SQL builder's {@code snapshot}). */
    @FunctionalInterface
    public interface SnapshotWriter {
        SqlQuery snapshot(LiveQuery query, TableSchema schema);
    }

    private final Connection connection;
    private final String table;
    private final TableSchema schema;
    private final Map<Long, Map<String, Object>> rows;
    private final SnapshotWriter writer;

    /**
     * @param table the table as a live query names it; its key is a {@code bigint} column {@code id}
     * @param rows  every row of the table by {@code id}, as the reader reads it
     */
    public QueryDifferential(
            Connection connection,
            String table,
            TableSchema schema,
            Map<Long, Map<String, Object>> rows,
            SnapshotWriter writer) {
        this.connection = connection;
        this.table = table;
        this.schema = schema;
        this.rows = rows;
        this.writer = writer;
    }

    /**
     * Runs {@code filters} generated filters from {@code seed}, with {@code extras} as {@link
     * RandomFilters} takes them, and fails listing the first disagreements with the seed to rerun.
     */
    public void assertAgreement(long seed, int filters, Map<String, List<Object>> extras) {
        long started = System.nanoTime();
        RandomFilters generator = new RandomFilters(new Random(seed), schema, new ArrayList<>(rows.values()), extras);
        LiveQueryParser parser = new LiveQueryParser();
        List<String> failures = new ArrayList<>();
        int nonTrivial = 0;
        for (int i = 0; i < filters && failures.size() < 5; i++) {
            JsonNode where = generator.next();
            ObjectNode frame = JsonNodeFactory.instance.objectNode().put("table", table);
            frame.set("where", where);
            frame.putArray("fields").add("id");
            LiveQuery query = parser.parse(frame, schema);
            SqlQuery sql = writer.snapshot(query, schema);
            Set<Long> fromSql = new TreeSet<>();
            try (PreparedStatement s = sql.prepare(connection);
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    fromSql.add(rs.getLong("id"));
                }
            } catch (SQLException e) {
                failures.add("filter #" + i + " " + where + "\n  SQL " + sql + "\n  failed: " + e.getMessage());
                continue;
            }
            RowMatcher matcher = RowMatcher.compile(query.where(), schema);
            Set<Long> inMemory = new TreeSet<>();
            rows.forEach((id, row) -> {
                if (matcher.matches(row)) {
                    inMemory.add(id);
                }
            });
            if (!fromSql.isEmpty() && fromSql.size() < rows.size()) {
                nonTrivial++;
            }
            if (!fromSql.equals(inMemory)) {
                failures.add(describe(i, where, sql, fromSql, inMemory));
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "differential: %d rows x %d filters (%d selecting some but not all rows) in %d ms, seed %d%n",
                rows.size(), filters, nonTrivial, millis, seed);
        assertThat(failures)
                .as("SQL and matcher disagree; seed %d (rerun with -Dundercurrent.query.seed=%d)", seed, seed)
                .isEmpty();
        assertThat(nonTrivial)
                .as("generated filters should mostly be selective")
                .isGreaterThan(filters / 3);
    }

    private String describe(int i, JsonNode where, SqlQuery sql, Set<Long> fromSql, Set<Long> inMemory) {
        Set<Long> onlySql = new TreeSet<>(fromSql);
        onlySql.removeAll(inMemory);
        Set<Long> onlyMemory = new TreeSet<>(inMemory);
        onlyMemory.removeAll(fromSql);
        StringBuilder b = new StringBuilder("filter #" + i + " " + where + "\n  SQL " + sql.sql() + " " + sql.params()
                + "\n  only SQL: " + onlySql + "\n  only matcher: " + onlyMemory);
        onlySql.stream().limit(2).forEach(id -> b.append("\n  row ").append(rows.get(id)));
        onlyMemory.stream().limit(2).forEach(id -> b.append("\n  row ").append(rows.get(id)));
        return b.toString();
    }
}
