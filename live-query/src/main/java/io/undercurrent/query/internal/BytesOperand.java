package io.undercurrent.query.internal;

import io.undercurrent.query.TableSchema.Column;

/**
 * A constant for a {@code bytea} column: equality only. Standard padded base64 has one
 * spelling per byte string, so comparing the canonical strings compares the bytes.
 * (Byte order is not base64 text order, which is why {@code lt}/{@code gt} are refused.)
 */
final class BytesOperand extends Operand {
    private final String base64;

    BytesOperand(Column column, String base64) {
        super(column);
        this.base64 = base64;
    }

    @Override
    public int compareRow(Object v) {
        if (v instanceof CharSequence s) {
            return base64.contentEquals(s) ? 0 : 1;
        }
        throw notCanonical(v, "a base64 String");
    }
}
