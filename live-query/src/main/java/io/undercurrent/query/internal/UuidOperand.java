package io.undercurrent.query.internal;

import io.undercurrent.query.TableSchema.Column;

/**
 * A constant for a {@code uuid} column. PostgreSQL orders uuids by their 16 bytes, which
 * is the order of their lower-case hex text; upper-case row values are tolerated.
 */
final class UuidOperand extends Operand {
    private final String value;

    UuidOperand(Column column, String lowerCase) {
        super(column);
        this.value = lowerCase;
    }

    @Override
    public int compareRow(Object v) {
        if (!(v instanceof CharSequence s)) {
            throw notCanonical(v, "a uuid String");
        }
        int n = Math.min(s.length(), value.length());
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'F') {
                c = (char) (c + ('a' - 'A'));
            }
            char k = value.charAt(i);
            if (c != k) {
                return c - k;
            }
        }
        return s.length() - value.length();
    }
}
