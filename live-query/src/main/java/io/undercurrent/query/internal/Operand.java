package io.undercurrent.query.internal;

import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.query.spi.TypeNames;

/**
 * A filter constant compiled for one column: compares a row's (non-null, canonical)
 * value with it under the column's SQL ordering. Immutable and thread-safe;
 * {@link #compareRow} allocates nothing for canonical values.
 */
public abstract class Operand {
    private final String column;
    private final String dbType;

    protected Operand(Column column) {
        this.column = column.name();
        this.dbType = column.dbType();
    }

    /**
     * The sign of {@code rowValue - constant} as the database orders them.
     *
     * @param rowValue the column's value in the row; never {@code null} (NULL is handled by the caller)
     * @throws IllegalArgumentException if the value is not a canonical value of the column's kind
     */
    public abstract int compareRow(Object rowValue);

    /**
     * Compiles a canonical constant (as {@link io.undercurrent.query.spi.ValueCoercion} produces) for {@code column}.
     *
     * @param constant never {@code null}
     */
    public static Operand of(Column column, Object constant) {
        return switch (column.type()) {
            case INTEGER, DECIMAL -> new ExactNumberOperand(column, constant);
            case FLOAT -> new FloatOperand(column, constant);
            case BOOLEAN -> new BooleanOperand(column, (Boolean) constant);
            case TEXT -> new TextOperand(column, (String) constant);
            case UUID -> new UuidOperand(column, (String) constant);
            case TIMESTAMPTZ, TIMESTAMP, DATE, TIME -> new TemporalOperand(column, (String) constant);
            case BYTES -> new BytesOperand(column, (String) constant);
            default ->
                throw new IllegalArgumentException("column \"" + column.name() + "\" ("
                        + TypeNames.display(column.dbType()) + ") cannot be compared with a value");
        };
    }

    protected final IllegalArgumentException notCanonical(Object rowValue, String expected) {
        return new IllegalArgumentException("column \"" + column + "\" (" + TypeNames.display(dbType)
                + "): row value " + describe(rowValue) + " is not canonical; expected " + expected
                + " (see the canonical row values table of the change contract)");
    }

    private static String describe(Object v) {
        String text = String.valueOf(v);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "...";
        }
        return "\"" + text + "\" of class " + v.getClass().getSimpleName();
    }
}
