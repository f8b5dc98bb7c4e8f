package io.undercurrent.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.internal.FilterParser;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.TypeNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link LiveQuery} from a subscribe frame and checks it against the table:
 * every column known, every operator applicable to its column's kind, every value of
 * the right type, {@code fields}/{@code orderBy}/{@code limit} well formed, and the
 * whole within the {@link QueryLimits}. The first problem found is thrown as an
 * {@link InvalidQueryException} naming its JSON path.
 *
 * <p>Stateless and thread-safe. For exact decimals, read frames with
 * {@code DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS}; otherwise a number such as
 * {@code 0.1} arrives as a double and is taken at its shortest decimal spelling.
 */
public final class LiveQueryParser {
    private static final Set<String> KEYS =
            Set.of("type", "id", "source", "table", "where", "fields", "orderBy", "limit");

    private final QueryLimits limits;

    /** A parser enforcing {@link QueryLimits#DEFAULTS}. */
    public LiveQueryParser() {
        this(QueryLimits.DEFAULTS);
    }

    public LiveQueryParser(QueryLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Parses the query in a subscribe frame.
     *
     * @param frame  the whole frame ({@code type} and {@code id} are ignored) or just the query object
     * @param schema the table the frame names, as the caller resolved it from {@code source}/{@code table}
     * @throws InvalidQueryException naming the JSON path of the first problem
     */
    public LiveQuery parse(JsonNode frame, TableSchema schema) {
        if (frame == null || !frame.isObject()) {
            throw new InvalidQueryException("$", "expected a JSON object");
        }
        for (Iterator<String> it = frame.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new InvalidQueryException(
                        JsonPaths.key("", key),
                        "unknown key " + JsonPaths.quote(key)
                                + "; a subscription has source, table, where, fields, orderBy and limit");
            }
        }
        String source = optionalText(frame.get("source"), "source");
        if (source != null && schema.source() != null && !source.equals(schema.source())) {
            throw new InvalidQueryException(
                    "source", "expected \"" + schema.source() + "\" for table " + schema.table());
        }
        String table = optionalText(frame.get("table"), "table");
        if (table == null) {
            throw new InvalidQueryException("table", "missing; name the table as schema.table");
        }
        if (!table.equals(schema.table())) {
            throw new InvalidQueryException("table", "expected \"" + schema.table() + "\", the table being queried");
        }
        Filter where = new FilterParser(schema, limits).parse(frame.get("where"), "where");
        return new LiveQuery(
                source,
                table,
                where,
                fields(frame.get("fields"), schema),
                orderBy(frame.get("orderBy"), schema),
                limit(frame.get("limit")));
    }

    private static String optionalText(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidQueryException(path, "expected a string");
        }
        return node.textValue();
    }

    private static List<String> fields(JsonNode node, TableSchema schema) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidQueryException(
                    "fields", "expected a non-empty array of column names (omit it for all columns)");
        }
        List<String> out = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = JsonPaths.index("fields", i);
            Column column = knownColumn(node.get(i), path, schema);
            if (!seen.add(column.name())) {
                throw new InvalidQueryException(path, "column \"" + column.name() + "\" is listed twice");
            }
            out.add(column.name());
        }
        return out;
    }

    private List<LiveQuery.Order> orderBy(JsonNode node, TableSchema schema) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidQueryException("orderBy", "expected an array like [[\"created_at\", \"desc\"]]");
        }
        if (node.size() > limits.maxOrderBy()) {
            throw new InvalidQueryException(
                    "orderBy", "has " + node.size() + " entries; at most " + limits.maxOrderBy() + " are allowed");
        }
        List<LiveQuery.Order> out = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = JsonPaths.index("orderBy", i);
            LiveQuery.Order order = order(node.get(i), path, schema);
            if (!seen.add(order.column())) {
                throw new InvalidQueryException(path, "column \"" + order.column() + "\" is ordered by twice");
            }
            out.add(order);
        }
        return out;
    }

    private static LiveQuery.Order order(JsonNode entry, String path, TableSchema schema) {
        JsonNode name = entry;
        LiveQuery.Direction direction = LiveQuery.Direction.ASC;
        if (entry.isArray()) {
            if (entry.isEmpty() || entry.size() > 2) {
                throw new InvalidQueryException(path, "expected [\"column\"] or [\"column\", \"asc\"|\"desc\"]");
            }
            name = entry.get(0);
            if (entry.size() == 2) {
                JsonNode dir = entry.get(1);
                direction = dir.isTextual() ? LiveQuery.Direction.fromJson(dir.textValue()) : null;
                if (direction == null) {
                    throw new InvalidQueryException(JsonPaths.index(path, 1), "expected \"asc\" or \"desc\"");
                }
            }
        }
        String namePath = entry.isArray() ? JsonPaths.index(path, 0) : path;
        Column column = knownColumn(name, namePath, schema);
        if (!column.type().isOrdered()) {
            throw new InvalidQueryException(
                    namePath,
                    "cannot order by column \"" + column.name() + "\" (" + TypeNames.display(column.dbType())
                            + "); order by numbers, text, uuids, booleans or dates/times");
        }
        return new LiveQuery.Order(column.name(), direction);
    }

    private static Column knownColumn(JsonNode node, String path, TableSchema schema) {
        if (node == null || !node.isTextual()) {
            throw new InvalidQueryException(path, "expected a column name (a string)");
        }
        Column column = schema.column(node.textValue());
        if (column == null) {
            throw new InvalidQueryException(
                    path, "unknown column " + JsonPaths.quote(node.textValue()) + " in table " + schema.table());
        }
        return column;
    }

    private Integer limit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()
                || !node.canConvertToInt()
                || node.intValue() < 1
                || node.intValue() > limits.maxLimit()) {
            throw new InvalidQueryException(
                    "limit", "expected a whole number from 1 to " + limits.maxLimit() + "; omit it for no limit");
        }
        return node.intValue();
    }
}
