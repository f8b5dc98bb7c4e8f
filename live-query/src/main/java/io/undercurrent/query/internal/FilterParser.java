package io.undercurrent.query.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.QueryLimits;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.FilterChecks;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the {@code where} language into a {@link Filter}. With a schema it checks
 * columns, operators and value types and produces canonical values; without one (a
 * filter read back from a subscription record) it checks only the structure and keeps
 * the JSON scalars, which the compilers check against the table. Not thread-safe: one
 * instance per parse, because it counts nodes and values.
 */
public final class FilterParser {
    private static final String OPERATORS = "eq, ne, lt, lte, gt, gte, in, nin, isNull";

    private final TableSchema schema;
    private final QueryLimits limits;
    private int nodes;
    private int values;

    /**
     * @param schema the table to check against, or {@code null} for a structural read
     * @param limits the size limits, or {@code null} for none
     */
    public FilterParser(TableSchema schema, QueryLimits limits) {
        this.schema = schema;
        this.limits = limits;
    }

    /** Parses {@code where} found at {@code path}; a missing or null node is {@link Filter#matchAll()}. */
    public Filter parse(JsonNode where, String path) {
        if (where == null || where.isNull() || where.isMissingNode()) {
            return Filter.matchAll();
        }
        return object(where, path, 1);
    }

    private Filter object(JsonNode node, String path, int depth) {
        if (!node.isObject()) {
            throw new InvalidQueryException(
                    path, "expected an object of conditions, like {\"status\": {\"eq\": \"open\"}}");
        }
        if (limits != null && depth > limits.maxDepth()) {
            throw new InvalidQueryException(
                    path,
                    "filter nests deeper than " + limits.maxDepth()
                            + " levels; flatten it (several keys in one object are already ANDed)");
        }
        List<Filter> conditions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            String keyPath = JsonPaths.key(path, key);
            switch (key) {
                case "and", "or" -> conditions.add(logical(key, e.getValue(), keyPath, depth));
                case "not" -> {
                    count(keyPath);
                    conditions.add(new Filter.Not(object(e.getValue(), keyPath, depth + 1)));
                }
                default -> column(key, e.getValue(), keyPath, conditions);
            }
        }
        return conditions.size() == 1 ? conditions.get(0) : new Filter.And(conditions);
    }

    private Filter logical(String key, JsonNode value, String path, int depth) {
        count(path);
        if (!value.isArray()) {
            throw new InvalidQueryException(path, "expected an array of condition objects");
        }
        List<Filter> operands = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            operands.add(object(value.get(i), JsonPaths.index(path, i), depth + 1));
        }
        return key.equals("and") ? new Filter.And(operands) : new Filter.Or(operands);
    }

    private void column(String name, JsonNode ops, String path, List<Filter> out) {
        Column column = null;
        if (schema != null) {
            column = schema.column(name);
            if (column == null) {
                throw new InvalidQueryException(
                        path,
                        "unknown column " + JsonPaths.quote(name) + " in table " + schema.table() + "; its columns are "
                                + columnList());
            }
        }
        if (!ops.isObject() || ops.isEmpty()) {
            throw new InvalidQueryException(
                    path, "expected an object of operators (" + OPERATORS + "), like {\"eq\": 1}");
        }
        Iterator<Map.Entry<String, JsonNode>> it = ops.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String opPath = JsonPaths.key(path, e.getKey());
            count(opPath);
            out.add(condition(name, column, e.getKey(), e.getValue(), opPath));
        }
    }

    private Filter condition(String name, Column column, String op, JsonNode value, String path) {
        switch (op) {
            case "isNull" -> {
                if (!value.isBoolean()) {
                    throw new InvalidQueryException(path, "expected true (IS NULL) or false (IS NOT NULL)");
                }
                return new Filter.IsNull(name, value.booleanValue());
            }
            case "in", "nin" -> {
                FilterChecks.checkApplies(column, op, false, path);
                if (!value.isArray()) {
                    throw new InvalidQueryException(path, "expected an array of values");
                }
                if (limits != null && value.size() > limits.maxInList()) {
                    throw new InvalidQueryException(
                            path,
                            "list has " + value.size() + " values; at most " + limits.maxInList() + " are allowed");
                }
                List<Object> list = new ArrayList<>(value.size());
                for (int i = 0; i < value.size(); i++) {
                    list.add(value(column, value.get(i), JsonPaths.index(path, i)));
                }
                return new Filter.In(name, list, op.equals("nin"));
            }
            default -> {
                Filter.Operator operator = operator(op, path);
                FilterChecks.checkApplies(column, op, operator.isOrdering(), path);
                return new Filter.Comparison(name, operator, value(column, value, path));
            }
        }
    }

    private Object value(Column column, JsonNode node, String path) {
        values++;
        if (limits != null && values > limits.maxValues()) {
            throw new InvalidQueryException(path, "filter has more than " + limits.maxValues() + " values");
        }
        Object raw = ValueCoercion.fromJson(node, path);
        return column == null ? raw : ValueCoercion.coerce(column, raw, path, limits);
    }

    private static Filter.Operator operator(String op, String path) {
        for (Filter.Operator o : Filter.Operator.values()) {
            if (o.jsonName().equals(op)) {
                return o;
            }
        }
        throw new InvalidQueryException(path, "unknown operator " + JsonPaths.quote(op) + "; use one of " + OPERATORS);
    }

    private void count(String path) {
        nodes++;
        if (limits != null && nodes > limits.maxNodes()) {
            throw new InvalidQueryException(
                    path, "filter has more than " + limits.maxNodes() + " conditions; simplify it or use in/nin lists");
        }
    }

    private String columnList() {
        String all = schema.columns().stream().map(Column::name).limit(20).collect(Collectors.joining(", "));
        return schema.columns().size() > 20 ? all + ", ..." : all;
    }
}
