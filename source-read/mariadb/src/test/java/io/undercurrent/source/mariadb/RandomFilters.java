package io.undercurrent.source.mariadb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates random {@code where} filters over a table: constants are mostly values that
 * occur in the rows (so equality hits), sometimes extra spellings (other zone offsets,
 * other cases and trailing spaces, fractions against integers, NaN, numbers past MariaDB's
 * 65 digits, dates MariaDB cannot hold), sometimes NULL.
 */
final class RandomFilters {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<String, List<Object>> EXTRAS = Map.ofEntries(
            Map.entry("i1", List.of(2.5, -0.5, new BigDecimal("99999999999999999999"), 0, 128, -129)),
            Map.entry("i8", List.of(new BigDecimal("9223372036854775807.5"), -1.5, 3)),
            Map.entry(
                    "u8",
                    List.of(new BigDecimal("18446744073709551615"), new BigDecimal("18446744073709551616"), -1, 2.5)),
            Map.entry("yr", List.of(2024, 0, 1900.5)),
            Map.entry(
                    "num",
                    List.of(
                            2,
                            new BigDecimal("2.50"),
                            new BigDecimal("1E+30"),
                            new BigDecimal("1E+70"),
                            new BigDecimal("-1E+70"),
                            new BigDecimal("0.1000000000000000000000000000000000000000000001"),
                            new BigDecimal("-0.00000000010000000000000000000000000000000000001"),
                            "NaN",
                            "Infinity",
                            "-Infinity",
                            "12.5")),
            Map.entry(
                    "num_big",
                    List.of(
                            new BigDecimal("1E+64"),
                            new BigDecimal("1E+65"),
                            new BigDecimal("99999999999999999999999999999999999999999999999999999999999999999.5"),
                            new BigDecimal("0.5"),
                            new BigDecimal("-0.5"))),
            Map.entry(
                    "f4",
                    List.of(
                            0.1,
                            1.1,
                            1.5,
                            "NaN",
                            "-Infinity",
                            "Infinity",
                            0,
                            1.100000023841858,
                            3.4028235e38,
                            3.5e38,
                            1e-46,
                            16777216)),
            Map.entry("f8", List.of(0.1, 0.3, "NaN", 1e308, -0.0, "Infinity")),
            Map.entry("b", List.of(true, false)),
            Map.entry("t", List.of("a", "", "b", "ab", "é", "\uFFFE", "A", "a  ", "É", "e")),
            Map.entry("ch", List.of("ab   ", "ab ", "ab", "", "zz  ", "A")),
            Map.entry("lat", List.of("é", "E", "É", "ab", "ab ")),
            Map.entry("mood", List.of("happy", "ok", "sad", "m", "HAPPY")),
            Map.entry("u", List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "80000000-0000-0000-0000-000000000000")),
            Map.entry(
                    "tstz",
                    List.of(
                            "2024-05-01T14:00:00+02:00",
                            "2024-05-01T12:00:00Z",
                            "2024-05-01 11:59:59.999999Z",
                            "infinity",
                            "-infinity",
                            "-0043-03-15T12:00:00Z",
                            "10000-01-01T00:00:00Z",
                            "1970-01-01T05:30:00+05:30")),
            Map.entry(
                    "ts",
                    List.of(
                            "2024-05-01T12:00:00",
                            "2024-05-01 12:00:00.5",
                            "-infinity",
                            "9999-12-31T23:59:59.999999",
                            "10000-01-01T00:00:00",
                            "0000-06-01T00:00:00")),
            Map.entry("ts0", List.of("2024-05-01T12:00:00.5", "2024-05-01T12:00:00.000001")),
            Map.entry("d", List.of("2024-05-01", "0000-12-31", "-0001-01-01", "infinity", "10000-01-01")),
            Map.entry("tm", List.of("12:00", "24:00:00", "00:00:00.000001")),
            Map.entry("byt", List.of("AQI=", "", "3q2+7w==", "AP8=")),
            Map.entry("bn", List.of("AP8=", "AP8AAA==")));

    private final Random random;
    private final TableSchema schema;
    private final List<Map<String, Object>> rows;

    RandomFilters(Random random, TableSchema schema, List<Map<String, Object>> rows) {
        this.random = random;
        this.schema = schema;
        this.rows = rows;
    }

    JsonNode next() {
        return node(0);
    }

    private ObjectNode node(int depth) {
        int kind = random.nextInt(depth >= 3 ? 6 : 10);
        ObjectNode out = F.objectNode();
        if (kind < 5) {
            condition(out);
            if (random.nextInt(4) == 0) {
                condition(out);
            }
        } else if (kind < 6) {
            out.set(random.nextBoolean() ? "and" : "or", F.arrayNode());
        } else if (kind < 8) {
            ArrayNode operands = out.putArray(random.nextBoolean() ? "and" : "or");
            for (int i = random.nextInt(3) + 1; i > 0; i--) {
                operands.add(node(depth + 1));
            }
        } else {
            out.set("not", node(depth + 1));
        }
        return out;
    }

    private void condition(ObjectNode out) {
        Column column = schema.columns().get(random.nextInt(schema.columns().size()));
        ObjectNode ops = out.has(column.name()) ? (ObjectNode) out.get(column.name()) : out.putObject(column.name());
        ColumnType type = column.type();
        int pick = random.nextInt(10);
        if (!type.isEquatable() || pick == 0) {
            ops.put("isNull", random.nextBoolean());
        } else if (pick <= 2) {
            ArrayNode list = ops.putArray(random.nextBoolean() ? "in" : "nin");
            for (int i = random.nextInt(4); i > 0; i--) {
                list.add(value(column));
            }
        } else {
            List<String> operators =
                    type.isOrdered() ? List.of("eq", "ne", "lt", "lte", "gt", "gte") : List.of("eq", "ne");
            ops.set(operators.get(random.nextInt(operators.size())), value(column));
        }
    }

    private JsonNode value(Column column) {
        int pick = random.nextInt(20);
        if (pick == 0) {
            return F.nullNode();
        }
        List<Object> extras = EXTRAS.get(column.name());
        if (extras != null && pick < 6) {
            return json(extras.get(random.nextInt(extras.size())));
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Object v = rows.get(random.nextInt(rows.size())).get(column.name());
            if (v != null) {
                return json(v);
            }
        }
        return F.nullNode();
    }

    private static JsonNode json(Object v) {
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof BigDecimal d) {
            return com.fasterxml.jackson.databind.node.DecimalNode.valueOf(d);
        }
        if (v instanceof Double d) {
            return F.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        return F.textNode((String) v);
    }
}
