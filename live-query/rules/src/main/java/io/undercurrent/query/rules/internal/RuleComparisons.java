package io.undercurrent.query.rules.internal;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.CodePoints;
import io.undercurrent.query.spi.ValueCoercion;
import io.undercurrent.rules.RowCondition.Comparison;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule comparison, {@code row.column <op> value} with the rules' semantics, as a {@link Filter}
 * with exactly the same result on every canonical row value of the column, or null when the filter
 * language cannot say exactly that.
 *
 * <p>The two semantics differ in kinds and order, not in NULLs: in a rule a null column, a value of
 * another kind (text against number) and a list never compare true, not even with {@code !=}, and
 * texts order by UTF-16 code units; in a filter (and its SQL) the constant is converted to the
 * column's type and texts order by code point. So a comparison is written only where both agree on
 * every value the column can hold: where a column's values can never be of the constant's kind the
 * answer is false; otherwise the constant must already be in the column's canonical form. Stateless.
 */
public final class RuleComparisons {

    private static final Filter FALSE = new Filter.Or(List.of());
    private static final List<String> SPECIALS = List.of("-Infinity", "Infinity", "NaN");
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private RuleComparisons() {}

    /**
     * @param column the column, or null when the table has none of that name (rules then see null)
     * @return the filter, or null when it cannot be written exactly
     */
    public static Filter compare(Column column, Comparison comparison, Object value) {
        if (column == null) {
            return FALSE;
        }
        return switch (column.type()) {
            case INTEGER ->
                value instanceof String || value instanceof Boolean ? FALSE : number(column, comparison, value);
            case DECIMAL, FLOAT ->
                value instanceof Boolean
                        ? FALSE
                        : value instanceof String text
                                ? specials(column, comparison, text)
                                : number(column, comparison, value);
            case BOOLEAN ->
                value instanceof Boolean && isEquality(comparison)
                        ? new Filter.Comparison(column.name(), operator(comparison), value)
                        : FALSE;
            case TEXT -> value instanceof String text ? text(column, comparison, text) : FALSE;
            case UUID -> value instanceof String text ? uuid(column, comparison, text) : FALSE;
            case TIMESTAMPTZ, TIMESTAMP, DATE, TIME ->
                value instanceof String text ? temporal(column, comparison, text) : FALSE;
            // Lists never compare in a rule.
            case ARRAY -> FALSE;
            // Base64 and the database's text forms have spellings a filter would treat as equal.
            case BYTES, OTHER -> value instanceof String ? null : FALSE;
            // A json value may be of any kind, and filters cannot compare json at all.
            case JSON -> null;
        };
    }

    /** {@code column IS [NOT] NULL}; a json {@code null} is null in both. */
    public static Filter isNull(Column column, boolean isNull) {
        if (column == null) {
            return isNull ? Filter.matchAll() : FALSE;
        }
        return new Filter.IsNull(column.name(), isNull);
    }

    /**
     * A number against a numeric column: both compare by exact value, except that the column may
     * hold NaN and the infinities (canonically strings), which no rule comparison with a number
     * accepts and SQL orders around the numbers; they are excluded.
     */
    private static Filter number(Column column, Comparison comparison, Object value) {
        if (column.type() == ColumnType.FLOAT && !exactDouble((BigDecimal) decimal(value))) {
            // PostgreSQL rounds the constant to a double; the rule compares it exactly.
            return null;
        }
        Object canonical;
        try {
            canonical = ValueCoercion.coerce(column, value, "value", null);
        } catch (InvalidQueryException e) {
            return null;
        }
        Filter compared = new Filter.Comparison(column.name(), operator(comparison), canonical);
        if (column.type() == ColumnType.INTEGER || comparison == Comparison.EQ) {
            return compared;
        }
        return new Filter.And(List.of(compared, new Filter.In(column.name(), new ArrayList<>(SPECIALS), true)));
    }

    /** Text against a numeric column: only NaN and the infinities are text, compared by their names. */
    private static Filter specials(Column column, Comparison comparison, String text) {
        List<Object> matching = new ArrayList<>();
        for (String special : SPECIALS) {
            int order = special.compareTo(text);
            if (holds(comparison, order)) {
                matching.add(special);
            }
        }
        return matching.isEmpty() ? FALSE : new Filter.In(column.name(), matching, false);
    }

    private static Filter text(Column column, Comparison comparison, String text) {
        if (column.isBlankPadded() || CodePoints.unstorableReason(text) != null) {
            // char(n) compares without its padding in SQL, with it in a rule.
            return null;
        }
        if (!isEquality(comparison) && text.chars().anyMatch(c -> c >= 0xD800)) {
            // Code-unit and code-point order differ only where such characters meet.
            return null;
        }
        return new Filter.Comparison(column.name(), operator(comparison), text);
    }

    /** Canonical uuids are lower-case hex in fixed places: text order is the uuid's byte order. */
    private static Filter uuid(Column column, Comparison comparison, String text) {
        return CANONICAL_UUID.matcher(text).matches()
                ? new Filter.Comparison(column.name(), operator(comparison), text)
                : null;
    }

    /**
     * Equal canonical texts are equal values (the canonical form is unique), so equality is exact for
     * a canonical constant. Order is not: a rule orders the texts, and expanded years (BC, past 9999)
     * do not order as text.
     */
    private static Filter temporal(Column column, Comparison comparison, String text) {
        if (!isEquality(comparison)) {
            return null;
        }
        try {
            if (!text.equals(ValueCoercion.coerce(column, text, "value", null))) {
                return null;
            }
        } catch (InvalidQueryException e) {
            return null;
        }
        return new Filter.Comparison(column.name(), operator(comparison), text);
    }

    /** Whether PostgreSQL reads {@code value} as a double without rounding. */
    private static boolean exactDouble(BigDecimal value) {
        if (value == null) {
            return false;
        }
        double d = Double.parseDouble(value.toString());
        return Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(value) == 0;
    }

    private static Object decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        return value instanceof Long l ? BigDecimal.valueOf(l) : null;
    }

    private static boolean isEquality(Comparison comparison) {
        return comparison == Comparison.EQ || comparison == Comparison.NE;
    }

    private static boolean holds(Comparison comparison, int order) {
        return switch (comparison) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    private static Filter.Operator operator(Comparison comparison) {
        return switch (comparison) {
            case EQ -> Filter.Operator.EQ;
            case NE -> Filter.Operator.NE;
            case LT -> Filter.Operator.LT;
            case LE -> Filter.Operator.LTE;
            case GT -> Filter.Operator.GT;
            case GE -> Filter.Operator.GTE;
        };
    }
}
