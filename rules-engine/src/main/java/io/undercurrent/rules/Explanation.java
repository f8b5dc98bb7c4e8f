package io.undercurrent.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why {@link RuleSet#access} decided as it did, for the CLI and for debugging a denial. Immutable.
 *
 * @param table the table judged
 * @param rule where the deciding rule is, {@code file:line:col}; null when no rule covers the table
 *     (default deny)
 * @param allowed the decision, exactly as {@code access} returns it
 * @param read the outcome of the {@code read} expression ({@link Verdict#FALSE} when there is no rule)
 * @param readExpression the {@code read} expression as written; null when there is no rule
 * @param parts the top-level parts of {@code read} (the operands of its outermost {@code ||} or
 *     {@code &&}, or the whole expression), each with its outcome and the values it looked at
 * @param fields every field mask of the rule with its outcome (judged even when the row is denied)
 */
public record Explanation(
        TableRef table,
        String rule,
        boolean allowed,
        Verdict read,
        String readExpression,
        List<Part> parts,
        List<Field> fields) {

    public Explanation {
        parts = List.copyOf(parts);
        fields = List.copyOf(fields);
    }

    /** The outcome of a condition. */
    public enum Verdict {
        /** Definitely true: grants. */
        TRUE,
        /** Definitely false. */
        FALSE,
        /** A value it needed was missing (null) or of the wrong kind; treated as false, and so is its negation. */
        UNKNOWN,
        /** It failed at run time (e.g. division by zero); treated as false. */
        ERROR;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One part of the {@code read} expression.
     *
     * @param expression the part as written
     * @param verdict its outcome
     * @param detail the run-time error when {@code verdict} is ERROR, else null
     * @param inputs each {@code auth}/{@code row}/{@code now} value it refers to, by the path written
     *     (null values are missing)
     */
    public record Part(String expression, Verdict verdict, String detail, Map<String, Object> inputs) {
        public Part {
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    /**
     * One field mask.
     *
     * @param column the masked column
     * @param expression the mask as written
     * @param verdict its outcome
     * @param visible whether the column is sent ({@code allowed} and {@code verdict} TRUE)
     * @param inputs as for {@link Part#inputs()}
     */
    public record Field(
            String column, String expression, Verdict verdict, boolean visible, Map<String, Object> inputs) {
        public Field {
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    /**
     * What one {@code exists(...)} or {@code lookup(...)} call found: shown among the inputs of the part
     * or mask that made it, keyed by the call as written, so an explanation says which lookup decided.
     *
     * @param name the lookup's name in the rule
     * @param index the looked-up table and its key columns
     * @param key the key values looked up, in the index's order (may hold nulls)
     * @param rows how many rows have that key; 0 when a key value is null, a list or an object; -1
     *     when the table could not answer
     * @param row the row {@code lookup(...)} yields: the one row with that key, else null
     * @param unavailable why the table could not answer (the rule then denies), or null
     */
    public record LookupFound(
            String name, LookupIndex index, List<Object> key, int rows, Map<String, ?> row, String unavailable) {

        public LookupFound {
            key = Collections.unmodifiableList(new java.util.ArrayList<>(key));
        }

        /** {@code 1 row of app/public.memberships with group_id = 1, user_id = "u1": {...}}. */
        @Override
        public String toString() {
            if (unavailable != null) {
                return "lookup " + name + " unavailable: " + unavailable;
            }
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < key.size(); i++) {
                where.append(i == 0 ? "" : ", ")
                        .append(index.key().get(i))
                        .append(" = ")
                        .append(show(key.get(i)));
            }
            String of = " of " + index.table() + " with " + where;
            if (rows == 0) {
                return "no row" + of;
            }
            return rows == 1 ? "1 row" + of + ": " + row : rows + " rows" + of + " (lookup(...) is null: ambiguous)";
        }
    }

    /** A multi-line, human-readable account, as the CLI prints it. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(table).append(": ").append(allowed ? "ALLOWED" : "DENIED").append('\n');
        if (rule == null) {
            out.append("  no rule covers this table: nobody may read it (default deny)\n");
            return out.toString();
        }
        out.append("  rule ").append(rule).append('\n');
        out.append("  read: ")
                .append(readExpression)
                .append("  -> ")
                .append(read)
                .append('\n');
        for (Part part : parts) {
            appendLine(out, "    ", part.verdict(), part.detail(), part.expression(), part.inputs());
        }
        if (!fields.isEmpty()) {
            out.append(allowed ? "  fields:\n" : "  fields (nothing is sent: the row is denied):\n");
            for (Field field : fields) {
                out.append("    ")
                        .append(field.column())
                        .append(field.visible() ? ": sent" : ": hidden")
                        .append("  (")
                        .append(field.expression())
                        .append("  -> ")
                        .append(field.verdict())
                        .append(')');
                appendInputs(out, field.inputs());
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void appendLine(
            StringBuilder out,
            String indent,
            Verdict verdict,
            String detail,
            String expression,
            Map<String, Object> inputs) {
        out.append(indent).append(String.format("%-8s", verdict)).append(expression);
        if (detail != null) {
            out.append("  [").append(detail).append(']');
        }
        appendInputs(out, inputs);
        out.append('\n');
    }

    private static void appendInputs(StringBuilder out, Map<String, Object> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        out.append("   where ");
        boolean first = true;
        for (Map.Entry<String, Object> input : inputs.entrySet()) {
            out.append(first ? "" : ", ").append(input.getKey()).append(" = ").append(show(input.getValue()));
            first = false;
        }
    }

    private static String show(Object value) {
        if (value == null) {
            return "(missing)";
        }
        return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }
}
