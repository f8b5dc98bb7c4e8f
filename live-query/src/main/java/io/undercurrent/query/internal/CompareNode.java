package io.undercurrent.query.internal;

import io.undercurrent.query.ColumnPath;
import io.undercurrent.query.Filter;
import java.util.Map;

/** {@code column <op> constant}: UNKNOWN when the row's value is NULL. */
final class CompareNode extends MatchNode {
    private final ColumnPath column;
    private final Filter.Operator operator;
    private final Operand operand;

    CompareNode(String column, Filter.Operator operator, Operand operand) {
        this.column = ColumnPath.of(column);
        this.operator = operator;
        this.operand = operand;
    }

    @Override
    public int eval(Map<String, ?> row) {
        Object v = column.value(row);
        if (v == null) {
            return Tri.UNKNOWN;
        }
        return Tri.of(operator.test(operand.compareRow(v)));
    }
}
