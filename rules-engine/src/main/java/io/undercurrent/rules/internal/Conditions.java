package io.undercurrent.rules.internal;

import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RowCondition.Comparison;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link RowCondition}s with the rules' semantics ({@link Values}) and keeps them simplified.
 * The leaves rely on {@link Values#eq} and {@link Values#ne} being symmetric, which they are: a rule
 * compares {@code element == item} where a condition says {@code column == element}.
 */
final class Conditions {

    private Conditions() {}

    /** {@code row.column <comparison> value}: false whatever the row when the value is null, a list or an object. */
    static RowCondition compare(String column, Comparison comparison, Object value) {
        Object scalar = scalar(value);
        return scalar == null ? RowCondition.FALSE : new RowCondition.Compare(column, comparison, scalar);
    }

    /**
     * {@code Values.has(container, row.column)}, or null when it cannot be written as a condition
     * (a text container: that is a substring test; too many members).
     */
    static RowCondition member(String column, Object container) {
        if (container instanceof List<?> list) {
            if (list.size() > ReadPlan.MAX_MEMBERS) {
                return null;
            }
            List<RowCondition> any = new ArrayList<>();
            for (Object element : list) {
                any.add(compare(column, Comparison.EQ, element));
            }
            return or(any);
        }
        if (container instanceof Map<?, ?> map) {
            if (map.size() > ReadPlan.MAX_MEMBERS) {
                return null;
            }
            List<RowCondition> any = new ArrayList<>();
            for (Object key : map.keySet()) {
                if (key instanceof String) {
                    any.add(compare(column, Comparison.EQ, key));
                }
            }
            return or(any);
        }
        // A number, a boolean or null contains nothing.
        return container instanceof String ? null : RowCondition.FALSE;
    }

    /** {@code Values.hasNot(container, row.column)}, or null when it cannot be written as a condition. */
    static RowCondition notMember(String column, Object container) {
        if (container instanceof List<?> list) {
            if (list.size() > ReadPlan.MAX_MEMBERS) {
                return null;
            }
            if (list.isEmpty()) {
                return new RowCondition.IsNull(column, false); // absent from nothing, as long as it is not null
            }
            List<RowCondition> all = new ArrayList<>();
            for (Object element : list) {
                all.add(compare(column, Comparison.NE, element));
            }
            return and(all);
        }
        if (container instanceof Map<?, ?> map) {
            // An empty object means "the column holds some text", which has no condition of its own.
            if (map.size() > ReadPlan.MAX_MEMBERS || map.keySet().stream().noneMatch(String.class::isInstance)) {
                return null;
            }
            List<RowCondition> all = new ArrayList<>();
            for (Object key : map.keySet()) {
                if (key instanceof String) {
                    all.add(compare(column, Comparison.NE, key));
                }
            }
            return and(all);
        }
        return container instanceof String ? null : RowCondition.FALSE;
    }

    /** Text and booleans as they are, numbers normalised; null for anything no comparison can be true with. */
    static Object scalar(Object value) {
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        BigDecimal decimal = Numbers.decimal(value);
        return decimal == null ? null : Numbers.normalize(decimal);
    }

    static RowCondition and(List<RowCondition> operands) {
        List<RowCondition> kept = new ArrayList<>();
        for (RowCondition operand : operands) {
            if (operand instanceof RowCondition.Constant constant) {
                if (!constant.value()) {
                    return RowCondition.FALSE;
                }
            } else if (operand instanceof RowCondition.And and) {
                kept.addAll(and.operands());
            } else {
                kept.add(operand);
            }
        }
        return kept.isEmpty() ? RowCondition.TRUE : kept.size() == 1 ? kept.get(0) : new RowCondition.And(kept);
    }

    static RowCondition or(List<RowCondition> operands) {
        List<RowCondition> kept = new ArrayList<>();
        for (RowCondition operand : operands) {
            if (operand instanceof RowCondition.Constant constant) {
                if (constant.value()) {
                    return RowCondition.TRUE;
                }
            } else if (operand instanceof RowCondition.Or or) {
                kept.addAll(or.operands());
            } else {
                kept.add(operand);
            }
        }
        return kept.isEmpty() ? RowCondition.FALSE : kept.size() == 1 ? kept.get(0) : new RowCondition.Or(kept);
    }
}
