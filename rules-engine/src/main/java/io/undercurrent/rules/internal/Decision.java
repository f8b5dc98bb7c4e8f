package io.undercurrent.rules.internal;

import io.undercurrent.rules.Access;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link Access}: allowed or not, and a bit per field mask that hid its column. Immutable. */
final class Decision implements Access {

    static final Decision DENIED = new Decision(null, 0);

    private final CompiledRule rule;
    private final long hidden;

    /** @param rule the allowing rule, or null for a denial */
    Decision(CompiledRule rule, long hidden) {
        this.rule = rule;
        this.hidden = hidden;
    }

    @Override
    public boolean allowed() {
        return rule != null;
    }

    @Override
    public boolean fieldVisible(String column) {
        if (rule == null) {
            return false;
        }
        int mask = rule.maskIndex(column);
        return mask < 0 || (hidden & (1L << mask)) == 0;
    }

    @Override
    public Map<String, Object> project(Map<String, ?> row) {
        if (rule == null) {
            throw new IllegalStateException("the row is denied: check allowed() before projecting");
        }
        Map<String, Object> copy = new LinkedHashMap<>(row);
        for (long bits = hidden; bits != 0; bits &= bits - 1) {
            copy.remove(rule.maskColumn(Long.numberOfTrailingZeros(bits)));
        }
        return copy;
    }

    @Override
    public String toString() {
        if (rule == null) {
            return "denied";
        }
        StringBuilder text = new StringBuilder("allowed");
        String separator = " hiding ";
        for (long bits = hidden; bits != 0; bits &= bits - 1) {
            text.append(separator).append(rule.maskColumn(Long.numberOfTrailingZeros(bits)));
            separator = ", ";
        }
        return text.toString();
    }
}
