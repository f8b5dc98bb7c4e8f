package io.undercurrent.router.query.internal;

import java.util.Map;

/**
 * {@code column [NOT] IN (...)} with SQL's NULL rules: an empty list is FALSE (TRUE
 * negated) even for a NULL column; otherwise a NULL column, or no match in a list that
 * holds a NULL, is UNKNOWN.
 */
final class InNode extends MatchNode {
    private final String column;
    private final Operand[] values;
    private final boolean listHasNull;
    private final boolean empty;
    private final boolean negated;

    InNode(String column, Operand[] values, boolean listHasNull, boolean negated) {
        this.column = column;
        this.values = values;
        this.listHasNull = listHasNull;
        this.empty = values.length == 0 && !listHasNull;
        this.negated = negated;
    }

    @Override
    public int eval(Map<String, ?> row) {
        int in = in(row.get(column));
        return negated ? Tri.not(in) : in;
    }

    private int in(Object v) {
        if (empty) {
            return Tri.FALSE;
        }
        if (v == null) {
            return Tri.UNKNOWN;
        }
        for (Operand o : values) {
            if (o.compareRow(v) == 0) {
                return Tri.TRUE;
            }
        }
        return listHasNull ? Tri.UNKNOWN : Tri.FALSE;
    }
}
