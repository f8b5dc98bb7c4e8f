package io.undercurrent.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The edge and the routers agree on every query: whatever the edge's check accepts, a router compiles
 * after the record crossed the bus, to the same query; whatever a router would refuse, the edge
 * refuses first, as {@link InvalidQueryException} and nothing else. Values are the awkward ones for
 * every column kind: numbers past 64 bits, past the double range, with huge exponents; text a
 * database cannot store; dates and times at and past PostgreSQL's range.
 */
class SubscriptionCompilerTest {

    /** How the edge reads client frames. */
    private static final ObjectReader EDGE_JSON =
            ChangeEventCodec.canonicalMapper().reader().without(DeserializationFeature.USE_LONG_FOR_INTS);

    private static final TableSchema KINDS = new TableSchema(
            "app",
            "public.kinds",
            List.of(
                    new Column("id", ColumnType.INTEGER, "int8"),
                    new Column("small", ColumnType.INTEGER, "int2"),
                    new Column("amount", ColumnType.DECIMAL, "numeric"),
                    new Column("ratio", ColumnType.FLOAT, "float8"),
                    new Column("share", ColumnType.FLOAT, "float4"),
                    new Column("done", ColumnType.BOOLEAN, "bool"),
                    new Column("title", ColumnType.TEXT, "text"),
                    new Column("code", ColumnType.TEXT, "bpchar"),
                    new Column("uid", ColumnType.UUID, "uuid"),
                    new Column("at", ColumnType.TIMESTAMPTZ, "timestamptz"),
                    new Column("local_at", ColumnType.TIMESTAMP, "timestamp"),
                    new Column("due", ColumnType.DATE, "date"),
                    new Column("clock", ColumnType.TIME, "time"),
                    new Column("blob", ColumnType.BYTES, "bytea"),
                    new Column("meta", ColumnType.JSON, "jsonb"),
                    new Column("tags", ColumnType.ARRAY, "_text", ColumnType.TEXT),
                    new Column("spot", ColumnType.OTHER, "point")),
            List.of("id"));

    private static final List<String> VALUES = List.of(
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "-0.0",
            "1.0",
            "100.0",
            "2.50",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "99999999999999999999.0",
            "12345678901234567890.5",
            "1e18",
            "1e19",
            "1.5e30",
            "1e308",
            "1.7976931348623157e309",
            "4.9e-324",
            "1e-330",
            "1e400",
            "-1e400",
            "1e-400",
            "1e999",
            "-1e999",
            "1e1000",
            "1e-1000",
            "0e999999999",
            "1e999999999",
            "-1e999999999",
            "1e-999999999",
            "1E+2147483647",
            "\"NaN\"",
            "\"Infinity\"",
            "\"-Infinity\"",
            "\"nan\"",
            "\"1e400\"",
            "\"1e999999999\"",
            "\"99999999999999999999\"",
            "\"12.5\"",
            "\"abc\"",
            "\"\"",
            "\"a\\u0000b\"",
            "\"\\ud800\"",
            "\"é\"",
            "\"2024-05-01T12:00:00Z\"",
            "\"2024-05-01 14:00:00+02:00\"",
            "\"2024-05-01T12:00:00\"",
            "\"2024-05-01\"",
            "\"294276-12-31T23:59:59.999999Z\"",
            "\"294277-01-01T00:00:00Z\"",
            "\"-4713-11-24T00:00:00Z\"",
            "\"-4713-11-23\"",
            "\"5874897-12-31\"",
            "\"5874898-01-01\"",
            "\"infinity\"",
            "\"-infinity\"",
            "\"24:00:00\"",
            "\"24:00:01\"",
            "\"12:00\"",
            "\"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11\"",
            "\"AQI=\"",
            "\"====\"",
            "\"" + "x".repeat(5000) + "\"",
            "true",
            "false",
            "null",
            "[1]",
            "{\"a\":1}");

    private final SubscriptionCompiler compiler = new SubscriptionCompiler();
    private final BusCodec codec = new BusCodec();

    private static JsonNode frame(String where) throws Exception {
        return EDGE_JSON.readTree(
                "{\"type\":\"subscribe\",\"id\":\"q1\",\"table\":\"public.kinds\",\"where\":" + where + "}");
    }

    /** What a router does with the record the edge publishes for {@code frame}. */
    private SubscriptionCompiler.Compiled routed(JsonNode frame) {
        SubscriptionRecord published = new SubscriptionRecord(
                new SubscriptionId("edge", "c1", "q1"),
                1,
                "app",
                "public.kinds",
                frame,
                KINDS,
                Map.of("sub", "alice"),
                1);
        return compiler.compile(codec.decode(codec.encode(published), SubscriptionRecord.class));
    }

    @Test
    void whateverTheEdgeAcceptsEveryRouterCompilesToTheSameQuery() throws Exception {
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (Column column : KINDS.columns()) {
            for (String value : VALUES) {
                for (String op :
                        List.of("{\"eq\":" + value + "}", "{\"lt\":" + value + "}", "{\"in\":[" + value + ", 1]}")) {
                    String where = "{\"" + column.name() + "\":" + op + "}";
                    JsonNode frame = frame(where);
                    LiveQuery checked;
                    try {
                        checked = compiler.check(frame, KINDS);
                    } catch (InvalidQueryException e) {
                        refused++;
                        continue;
                    }
                    accepted.add(where);
                    SubscriptionCompiler.Compiled routed;
                    try {
                        routed = routed(frame);
                    } catch (RuntimeException e) {
                        throw new AssertionError(
                                "the edge accepted " + abbreviate(where) + " but a router refuses it: " + e, e);
                    }
                    assertThat(routed.query())
                            .as("the router's query for %s", abbreviate(where))
                            .isEqualTo(checked)
                            .isEqualTo(new LiveQueryParser().parse(frame, KINDS));
                }
            }
        }
        assertThat(accepted).as("the battery exercises both outcomes").hasSizeGreaterThan(100);
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void numbersPast64BitsAreExactForIntegerAndNumericColumns() throws Exception {
        for (String where : List.of(
                "{\"id\":{\"eq\":1e400}}",
                "{\"id\":{\"lt\":99999999999999999999}}",
                "{\"amount\":{\"gt\":1.5e30}}",
                "{\"amount\":{\"eq\":99999999999999999999.0}}",
                "{\"id\":{\"gt\":-1e999}}")) {
            assertThat(routed(frame(where)).query()).isEqualTo(compiler.check(frame(where), KINDS));
        }
    }

    @Test
    void hugeExponentsAreRefusedAtOnceForEveryNumericColumn() throws Exception {
        for (String column : List.of("id", "small", "amount", "ratio", "share")) {
            for (String value :
                    List.of("1e999999999", "-1e999999999", "1E+2147483647", "\"1e999999999\"", "1e-999999999")) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> compiler.check(frame("{\"" + column + "\":{\"eq\":" + value + "}}"), KINDS))
                        .isInstanceOf(InvalidQueryException.class)
                        .hasMessageStartingWith("where." + column + ".eq: number has too many digits");
                assertThat(System.nanoTime() - started)
                        .as("%s on %s", value, column)
                        .isLessThan(1_000_000_000L);
            }
        }
    }

    @Test
    void numbersOutsideTheDoubleRangeAreRefusedForFloatColumns() throws Exception {
        assertThatThrownBy(() -> compiler.check(frame("{\"ratio\":{\"eq\":1e400}}"), KINDS))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("where.ratio.eq: number 1E+400 is out of range for column \"ratio\" (double precision)");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
