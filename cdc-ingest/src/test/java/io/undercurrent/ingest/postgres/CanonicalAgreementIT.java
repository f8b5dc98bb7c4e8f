package io.undercurrent.ingest.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.embedded.EmbeddedKafka;
import io.undercurrent.embedded.LocalPostgres;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceKind;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.ingest.testing.Sources;
import io.undercurrent.ingest.testing.TestDatabase;
import io.undercurrent.ingest.testing.TopicReader;
import io.undercurrent.query.TableSchema;
import io.undercurrent.source.postgres.JdbcRowReader;
import io.undercurrent.source.postgres.PostgresSchemaReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A snapshot row and the change event of the same row are equal, value by value: what a live query's
 * snapshot reads (the PostgreSQL reader's {@link JdbcRowReader}) and what ingest publishes for the
 * row (Debezium through {@code CanonicalValues}) must agree, or the router's matcher and the
 * snapshot's SQL disagree and a live query does not converge. Every type of the contract's table,
 * with its edge values: BC and five-digit years, {@code infinity}, {@code 24:00}, non-finite floats,
 * {@code -0}, {@code real} values that have no exact double ({@code 1.1}, {@code 0.1}), the largest
 * {@code real}, 40-digit numerics, empty arrays, json {@code null}, enum, domain, citext.
 */
class CanonicalAgreementIT {

    private static final String TABLE = "public.agree";
    private static final String COLUMNS = "(id, small, regular, big, price, anyscale, r, d, flag, body, vc, ch, ci, m, "
            + "pos, uid, doc, docb, ints, words, day, at_time, local_ts, zoned, bytes)";
    private static final List<String> ROWS = List.of(
            "(1, 1, 2147483647, 9223372036854775807, 123456789012345678901234567890.0123456789, 1e-20, 1.1, 1.5e300, "
                    + "true, 'héllo', 'v', 'abc', 'MiXeD', 'sad', 7, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', "
                    + "'{\"a\": [1, 2.5, null]}', '{\"b\": {\"c\": true}}', '{1,2,3}', '{\"x\",\"y z\"}', '2024-05-01', "
                    + "'12:34:56.000001', '2024-05-01 14:00:00.123456', '2024-05-01 14:00:00.5+02', '\\x010203')",
            "(2, -32768, -2147483648, -9223372036854775808, -9999999999999999999999999999.9999999999, "
                    + "-0.000000000000000000001, 0.1, '-0', false, '', '', ' ', '', 'happy', 1, "
                    + "'00000000-0000-0000-0000-000000000000', 'null', '[]', '{}', '{}', '0044-03-15 BC', "
                    + "'24:00:00', '10000-01-01 00:00:00', '0001-01-01 00:00:00+00 BC', '\\x')",
            "(3, 0, 0, 0, 0, 'NaN', 3.4028235e38, 'NaN', true, 'x', 'x', 'x', 'x', 'sad', 2, "
                    + "'ffffffff-ffff-ffff-ffff-ffffffffffff', '1.0', '{\"n\": 12345678901234567890}', '{-1}', '{\"\"}', "
                    + "'infinity', '00:00:00', 'infinity', '-infinity', '\\xff')",
            "(4, 0, 0, 0, 0, 'Infinity', '-Infinity', 'Infinity', true, 'x', 'x', 'x', 'x', 'sad', 3, "
                    + "'ffffffff-ffff-ffff-ffff-ffffffffffff', '\"s\"', 'true', '{0}', '{\"NULL\"}', "
                    + "'-infinity', '23:59:59.999999', '-infinity', 'infinity', '\\x00')",
            "(5, null, null, null, null, null, 'NaN', '-Infinity', null, null, null, null, null, null, null, null, "
                    + "null, null, null, null, null, null, null, null, null)",
            "(6, 0, 0, 0, 0.0000000000, '-Infinity', 'Infinity', -1.7976931348623157e308, true, 'x', 'x', 'x', 'x', "
                    + "'sad', 4, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{}', '{}', '{null,4}', '{null,\"a\"}', "
                    + "'1970-01-01', '00:00:00.000001', '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00+14', '\\x00')");

    private static final java.util.Set<Object> NUMERIC_SPECIALS = java.util.Set.of("NaN", "Infinity", "-Infinity");

    private static EmbeddedKafka kafka;
    private static LocalPostgres pg;
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(Files.createTempDirectory("agree-it-kafka")));
        pg = LocalPostgres.start(LocalPostgres.Options.defaults());
        db = TestDatabase.postgres(pg);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everySnapshotRowEqualsItsChangeEventValueByValue() throws Exception {
        db.execute(
                "create extension if not exists citext",
                "create type mood as enum ('happy', 'sad')",
                "create domain positive_int as integer check (value > 0)",
                "create table agree (id bigint primary key, small smallint, regular integer, big bigint, "
                        + "price numeric(40,10), anyscale numeric, r real, d double precision, flag boolean, "
                        + "body text, vc varchar(20), ch char(3), ci citext, m mood, pos positive_int, uid uuid, "
                        + "doc json, docb jsonb, ints integer[], words text[], day date, at_time time(6), "
                        + "local_ts timestamp(6), zoned timestamptz, bytes bytea)",
                "alter table agree replica identity full");
        SourceSettings source = new SourceSettings(
                "agree",
                SourceKind.POSTGRES,
                pg.host(),
                pg.port(),
                LocalPostgres.DEFAULT_DATABASE,
                pg.user(),
                pg.password(),
                List.of(TABLE),
                Map.of());
        Map<Long, Map<String, Object>> streamed = new LinkedHashMap<>();
        try (SourceIngestor ingestor = Sources.startStreaming(source, kafka.bootstrapServers());
                TopicReader changes = new TopicReader(kafka.bootstrapServers(), Sources.TOPICS.changes("agree"))) {
            // A session time zone far from UTC: neither side may depend on it.
            db.execute(
                    "begin",
                    "set local time zone 'Pacific/Kiritimati'",
                    "insert into agree " + COLUMNS + " values " + String.join(", ", ROWS),
                    "commit");
            for (ChangeEvent event : changes.awaitChanges(ROWS.size(), Duration.ofSeconds(60))) {
                streamed.put(((Number) event.key().get("id")).longValue(), event.after());
            }
        }

        Map<Long, Map<String, Object>> snapshot = new LinkedHashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("set time zone 'America/St_Johns'");
            TableSchema schema = new PostgresSchemaReader("agree").read(c, TABLE);
            JdbcRowReader reader = new JdbcRowReader(schema);
            try (ResultSet rs = s.executeQuery("select * from " + TABLE + " order by id")) {
                while (rs.next()) {
                    Map<String, Object> row = reader.read(rs);
                    snapshot.put(((Number) row.get("id")).longValue(), row);
                }
            }
        }

        Map<Long, Object> widenedByPostgres = new LinkedHashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, r::float8 from " + TABLE + " where r is not null")) {
            while (rs.next()) {
                double d = rs.getDouble(2);
                widenedByPostgres.put(
                        rs.getLong(1),
                        Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : d);
            }
        }

        assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(snapshot.keySet());
        widenedByPostgres.forEach((id, r) -> assertThat(numeric(streamed.get(id).get("r")))
                .as("row %s: a real is the float8 PostgreSQL widens it to (what the snapshot's SQL compares)", id)
                .isEqualTo(numeric(r)));
        SoftAssertions softly = new SoftAssertions();
        snapshot.forEach((id, row) -> row.forEach((column, value) -> {
            if (column.equals("anyscale") && value != null && NUMERIC_SPECIALS.contains(value)) {
                // Known disagreement, pinned so that a fix shows here: Debezium's precise decimal mode cannot
                // carry numeric NaN or ±Infinity and sends null. When this fails, the values arrive: drop it.
                softly.assertThat(streamed.get(id).get(column))
                        .as("row %s: numeric %s still arrives as null (known; see the cdc-ingest README)", id, value)
                        .isNull();
                return;
            }
            softly.assertThat(numeric(streamed.get(id).get(column)))
                    .as("row %s, column %s: the change event's value (snapshot: %s)", id, column, value)
                    .isEqualTo(numeric(value));
        }));
        softly.assertAll();
    }

    /**
     * Numbers compare numerically whatever their class (the contract's rule: a change event read back
     * from Kafka's JSON has {@code BigDecimal} where the snapshot has {@code Double}); everything else,
     * nested values included, compares as it is.
     */
    private static Object numeric(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CanonicalAgreementIT::numeric).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, numeric(v)));
            return out;
        }
        return value;
    }
}
