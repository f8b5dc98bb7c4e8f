package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.bus.BusCodec;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.RowMatcher;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlQuery;
import io.undercurrent.source.postgres.PostgresSqlBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the live-query filter language end to end: a subscribe frame as the edge reads it, the
 * {@link LiveQueryParser}, the snapshot SQL, the in-memory matcher, and the router's
 * {@link QueryCompiler} on the record the edge publishes. Whatever the parser refuses must be an
 * {@link InvalidQueryException} with a message fit for a client; whatever it accepts must compile
 * everywhere without an exception, survive the trip through the bus codec with the same meaning,
 * and evaluate canonical rows without an exception. Never a hang.
 *
 * <p>Inputs are the JSON text of a subscribe frame on {@link #SCHEMA}; the seeds are in
 * {@code LiveQueryFuzzTestInputs/subscribe}.
 */
class LiveQueryFuzzTest {

    static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new Column("id", ColumnType.INTEGER, "int8"),
                    new Column("owner_id", ColumnType.INTEGER, "int4"),
                    new Column("title", ColumnType.TEXT, "text"),
                    new Column("code", ColumnType.TEXT, "bpchar"),
                    new Column("done", ColumnType.BOOLEAN, "bool"),
                    new Column("score", ColumnType.DECIMAL, "numeric"),
                    new Column("ratio", ColumnType.FLOAT, "float8"),
                    new Column("r4", ColumnType.FLOAT, "float4"),
                    new Column("created_at", ColumnType.TIMESTAMPTZ, "timestamptz"),
                    new Column("local_at", ColumnType.TIMESTAMP, "timestamp"),
                    new Column("due", ColumnType.DATE, "date"),
                    new Column("at_time", ColumnType.TIME, "time"),
                    new Column("uid", ColumnType.UUID, "uuid"),
                    new Column("meta", ColumnType.JSON, "jsonb"),
                    new Column("tags", ColumnType.ARRAY, "_text", ColumnType.TEXT),
                    new Column("blob", ColumnType.BYTES, "bytea"),
                    new Column("span", ColumnType.OTHER, "interval"),
                    new Column("Odd \"Name\"", ColumnType.TEXT, "varchar")),
            List.of("id"));

    /** Canonical rows (see the change contract): typical values, extremes, and all NULL. */
    static final List<Map<String, Object>> ROWS = List.of(
            Map.of(),
            row(
                    "id",
                    1L,
                    "owner_id",
                    7L,
                    "title",
                    "milk",
                    "code",
                    "ab   ",
                    "done",
                    true,
                    "score",
                    new BigDecimal("12.50"),
                    "ratio",
                    0.5,
                    "r4",
                    1.5,
                    "created_at",
                    "2024-05-01T12:00:00.000000Z",
                    "local_at",
                    "2024-05-01T12:00:00.000000",
                    "due",
                    "2024-05-01",
                    "at_time",
                    "12:00:00.000000",
                    "uid",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                    "meta",
                    Map.of("a", 1L),
                    "tags",
                    List.of("a", "b"),
                    "blob",
                    "3q2+7w==",
                    "span",
                    "1 day",
                    "Odd \"Name\"",
                    "x"),
            row(
                    "id",
                    Long.MIN_VALUE,
                    "owner_id",
                    -2147483648L,
                    "title",
                    "",
                    "code",
                    "",
                    "done",
                    false,
                    "score",
                    "NaN",
                    "ratio",
                    "-Infinity",
                    "r4",
                    "Infinity",
                    "created_at",
                    "infinity",
                    "local_at",
                    "-infinity",
                    "due",
                    "-infinity",
                    "at_time",
                    "24:00:00.000000",
                    "uid",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff",
                    "meta",
                    List.of(),
                    "tags",
                    Arrays.asList("x", null),
                    "blob",
                    "",
                    "span",
                    "-1 mons",
                    "Odd \"Name\"",
                    "\uD83D\uDE00"),
            row(
                    "id",
                    new BigInteger("18446744073709551616"),
                    "owner_id",
                    0L,
                    "title",
                    "é",
                    "score",
                    new BigDecimal("-0.000000000000000001"),
                    "ratio",
                    -0.0,
                    "r4",
                    3.4028234663852886E38,
                    "created_at",
                    "0044-03-15T12:00:00.000000Z",
                    "local_at",
                    "294276-12-31T23:59:59.999999",
                    "due",
                    "5874897-12-31",
                    "at_time",
                    "00:00:00.000000"));

    private static final LiveQueryParser PARSER = new LiveQueryParser();
    private static final PostgresSqlBuilder SQL = new PostgresSqlBuilder();
    private static final QueryCompiler COMPILER = new QueryCompiler();
    private static final BusCodec CODEC = new BusCodec();
    private static final SubscriptionId ID = new SubscriptionId("edge-1", "c1", "q1");

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({
        "\"where\"",
        "\"fields\"",
        "\"orderBy\"",
        "\"limit\"",
        "\"table\"",
        "\"public.todos\"",
        "\"source\"",
        "\"app\"",
        "\"eq\"",
        "\"ne\"",
        "\"lt\"",
        "\"lte\"",
        "\"gt\"",
        "\"gte\"",
        "\"in\"",
        "\"nin\"",
        "\"isNull\"",
        "\"and\"",
        "\"or\"",
        "\"not\"",
        "\"asc\"",
        "\"desc\"",
        "\"id\"",
        "\"owner_id\"",
        "\"title\"",
        "\"code\"",
        "\"done\"",
        "\"score\"",
        "\"ratio\"",
        "\"r4\"",
        "\"created_at\"",
        "\"local_at\"",
        "\"due\"",
        "\"at_time\"",
        "\"uid\"",
        "\"meta\"",
        "\"tags\"",
        "\"blob\"",
        "\"span\"",
        "\"Odd \\\"Name\\\"\"",
        "\"NaN\"",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"infinity\"",
        "\"-infinity\"",
        "1e400",
        "1e-400",
        "-0.0",
        "9223372036854775808",
        "-9223372036854775809",
        "3.4028235e38",
        "\"2024-05-01T12:00:00Z\"",
        "\"24:00:00\"",
        "\"0044-03-15T12:00:00Z\"",
        "\" BC\"",
        "\"+02:00\"",
        "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"",
        "\"3q2+7w==\"",
        "\"\\u0000\"",
        "\"\\ud800\""
    })
    void subscribe(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        JsonNode frame;
        try {
            frame = CODEC.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return; // the edge's frame parser answers bad_request before a query is read
        }
        LiveQuery query;
        try {
            query = PARSER.parse(frame, SCHEMA);
        } catch (InvalidQueryException e) {
            assertThat(e.path()).isNotBlank();
            assertThat(e.getMessage()).isEqualTo(e.path() + ": " + e.reason());
            ClientVisible.assertSafe(e.getMessage(), text);
            return;
        }
        SqlQuery sql = SQL.snapshot(query, SCHEMA);
        assertThat(sql.params()).hasSizeLessThanOrEqualTo(65_535);
        RowMatcher matcher = RowMatcher.compile(query.where(), SCHEMA);
        boolean[] matches = new boolean[ROWS.size()];
        for (int i = 0; i < ROWS.size(); i++) {
            matches[i] = matcher.matches(ROWS.get(i));
        }

        // The edge publishes the frame in a subscription record; every router compiles it again.
        SubscriptionRecord record = new SubscriptionRecord(ID, 1, "app", SCHEMA.table(), frame, SCHEMA, null, 0L);
        CompiledQuery compiled = COMPILER.compile(CODEC.decode(CODEC.encode(record), SubscriptionRecord.class));
        assertThat(compiled.fields()).isEqualTo(query.fields());
        for (int i = 0; i < ROWS.size(); i++) {
            assertThat(compiled.matches(ROWS.get(i)))
                    .as("row %d after the bus round trip", i)
                    .isEqualTo(matches[i]);
        }

        // A query's own JSON form reads back to the same query.
        LiveQuery back = CODEC.decode(CODEC.encode(query), LiveQuery.class);
        RowMatcher again = RowMatcher.compile(back.where(), SCHEMA);
        for (int i = 0; i < ROWS.size(); i++) {
            assertThat(again.matches(ROWS.get(i)))
                    .as("row %d after the JSON round trip", i)
                    .isEqualTo(matches[i]);
        }
        SqlQuery sqlAgain = SQL.snapshot(back, SCHEMA);
        assertThat(sqlAgain.sql()).isEqualTo(sql.sql());
        assertThat(Arrays.deepEquals(sqlAgain.params().toArray(), sql.params().toArray()))
                .as("parameters %s after the JSON round trip, were %s", sqlAgain.params(), sql.params())
                .isTrue();
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
