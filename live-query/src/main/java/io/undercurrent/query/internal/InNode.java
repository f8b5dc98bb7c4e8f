package io.undercurrent.query.internal;

import io.undercurrent.query.ColumnPath;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code column [NOT] IN (...)} with SQL's NULL rules: an empty list is FALSE (TRUE
 * negated) even for a NULL column; otherwise a NULL column, or no match in a list that
 * holds a NULL, is UNKNOWN. Lists of integers and of plain text are looked up by binary
 * search or hashing (lists may hold a thousand ids); anything else is compared one by one.
 */
final class InNode extends MatchNode {
    private final ColumnPath column;
    private final Operand[] values;
    private final boolean listHasNull;
    private final boolean empty;
    private final boolean negated;
    /** Sorted constants when every one is a {@code long} (integer columns), else {@code null}. */
    private final long[] longs;
    /** The constants of a plain text column (exact equality), else {@code null}. */
    private final Set<String> strings;

    InNode(String column, Operand[] values, boolean listHasNull, boolean negated, long[] longs, Set<String> strings) {
        this.column = ColumnPath.of(column);
        this.values = values;
        this.listHasNull = listHasNull;
        this.empty = values.length == 0 && !listHasNull;
        this.negated = negated;
        this.longs = longs == null ? null : longs.clone();
        if (this.longs != null) {
            Arrays.sort(this.longs);
        }
        this.strings = strings == null ? null : Set.copyOf(strings);
    }

    @Override
    public int eval(Map<String, ?> row) {
        int in = in(column.value(row));
        return negated ? Tri.not(in) : in;
    }

    private int in(Object v) {
        if (empty) {
            return Tri.FALSE;
        }
        if (v == null) {
            return Tri.UNKNOWN;
        }
        boolean found;
        if (longs != null && (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
            found = Arrays.binarySearch(longs, ((Number) v).longValue()) >= 0;
        } else if (strings != null && v instanceof String s) {
            found = strings.contains(s);
        } else {
            found = false;
            for (Operand o : values) {
                if (o.compareRow(v) == 0) {
                    found = true;
                    break;
                }
            }
        }
        return found ? Tri.TRUE : listHasNull ? Tri.UNKNOWN : Tri.FALSE;
    }
}
