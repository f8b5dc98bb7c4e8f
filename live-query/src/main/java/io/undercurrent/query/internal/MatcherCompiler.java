package io.undercurrent.query.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.FilterChecks;
import io.undercurrent.query.spi.JsonPaths;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link Filter} into {@link MatchNode}s for one table, checking each column,
 * operator and value against the schema again (a filter may have been read back from
 * JSON, or the table may have changed since the client subscribed).
 */
public final class MatcherCompiler {
    private final TableSchema schema;

    public MatcherCompiler(TableSchema schema) {
        this.schema = schema;
    }

    /** The root node; {@code path} prefixes error messages ({@code "where"}). */
    public MatchNode compile(Filter filter, String path) {
        if (filter instanceof Filter.And and) {
            return new MatchNode.And(operands(and.operands(), JsonPaths.key(path, "and")));
        }
        if (filter instanceof Filter.Or or) {
            return new MatchNode.Or(operands(or.operands(), JsonPaths.key(path, "or")));
        }
        if (filter instanceof Filter.Not not) {
            return new MatchNode.Not(compile(not.operand(), JsonPaths.key(path, "not")));
        }
        if (filter instanceof Filter.IsNull n) {
            column(n.column(), path);
            return new MatchNode.IsNull(n.column(), n.isNull());
        }
        if (filter instanceof Filter.Comparison c) {
            Column column = column(c.column(), path);
            String opPath =
                    JsonPaths.key(JsonPaths.key(path, c.column()), c.operator().jsonName());
            FilterChecks.checkApplies(
                    column, c.operator().jsonName(), c.operator().isOrdering(), opPath);
            Object value = ValueCoercion.coerce(column, c.value(), opPath, null);
            if (value == null) {
                return new MatchNode.Constant(Tri.UNKNOWN);
            }
            return new CompareNode(column.name(), c.operator(), Operand.of(column, value));
        }
        Filter.In in = (Filter.In) filter;
        Column column = column(in.column(), path);
        String opPath = JsonPaths.key(JsonPaths.key(path, in.column()), in.negated() ? "nin" : "in");
        FilterChecks.checkApplies(column, in.negated() ? "nin" : "in", false, opPath);
        List<Operand> operands = new ArrayList<>();
        List<Object> constants = new ArrayList<>();
        boolean hasNull = false;
        for (int i = 0; i < in.values().size(); i++) {
            Object value = ValueCoercion.coerce(column, in.values().get(i), JsonPaths.index(opPath, i), null);
            if (value == null) {
                hasNull = true;
            } else {
                operands.add(Operand.of(column, value));
                constants.add(value);
            }
        }
        long[] longs = null;
        if (column.type() == ColumnType.INTEGER && constants.stream().allMatch(Long.class::isInstance)) {
            longs = constants.stream().mapToLong(Long.class::cast).toArray();
        }
        Set<String> strings = null;
        if (column.type() == ColumnType.TEXT && !column.isBlankPadded()) {
            strings = new HashSet<>();
            for (Object c : constants) {
                strings.add((String) c);
            }
        }
        return new InNode(column.name(), operands.toArray(new Operand[0]), hasNull, in.negated(), longs, strings);
    }

    private MatchNode[] operands(List<Filter> filters, String path) {
        MatchNode[] nodes = new MatchNode[filters.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = compile(filters.get(i), JsonPaths.index(path, i));
        }
        return nodes;
    }

    private Column column(String name, String path) {
        Column column = schema.column(name);
        if (column == null) {
            throw new InvalidQueryException(
                    JsonPaths.key(path, name),
                    "unknown column " + JsonPaths.quote(name) + " in table " + schema.table());
        }
        return column;
    }
}
