package io.undercurrent.source.testing;

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
 * Generates random {@code where} filters over a table, for differential tests of a source's
 * translation against the in-memory matcher: constants are mostly values that occur in the rows (so
 * equality hits), sometimes extra spellings the source's test names per column (other zone offsets,
 * padded text, fractions against integers, NaN, values the database cannot hold), sometimes NULL.
 */
public final class RandomFilters {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Random random;
    private final TableSchema schema;
    private final List<Map<String, Object>> rows;
    private final Map<String, List<Object>> extras;

    /**
     * @param rows   the table's rows as the source reads them, where constants are mostly taken from
     * @param extras per column, constants worth trying that the rows may not hold (the edge cases of
     *               the source's types and comparisons)
     */
    public RandomFilters(
            Random random, TableSchema schema, List<Map<String, Object>> rows, Map<String, List<Object>> extras) {
        this.random = random;
        this.schema = schema;
        this.rows = rows;
        this.extras = Map.copyOf(extras);
    }

    /** The next filter, as the {@code where} of a live query. */
    public JsonNode next() {
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
        List<Object> special = extras.get(column.name());
        if (special != null && pick < 6) {
            return json(special.get(random.nextInt(special.size())));
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
