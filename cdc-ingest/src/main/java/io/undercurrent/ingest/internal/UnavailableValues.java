package io.undercurrent.ingest.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recognises Debezium's placeholder for a value the database did not send (an unchanged TOAST column
 * of a table without {@code REPLICA IDENTITY FULL}). The placeholder takes a different shape per
 * column type: a string, bytes, a one-element list, a list of the placeholder's bytes as numbers, a
 * map, or a list holding a name-based UUID.
 */
final class UnavailableValues {

    private final String text;
    private final byte[] bytes;
    private final String uuid;

    UnavailableValues(String placeholder) {
        this.text = placeholder;
        this.bytes = placeholder.getBytes(StandardCharsets.UTF_8);
        this.uuid = UUID.nameUUIDFromBytes(bytes).toString();
    }

    /** True when a raw Connect value is the placeholder rather than data. */
    boolean isPlaceholder(Object raw) {
        if (raw instanceof String s) {
            return s.equals(text);
        }
        if (raw instanceof byte[] b) {
            return Arrays.equals(b, bytes);
        }
        if (raw instanceof ByteBuffer buffer) {
            return buffer.equals(ByteBuffer.wrap(bytes));
        }
        if (raw instanceof Map<?, ?> map) {
            return map.size() == 1 && text.equals(map.get(text));
        }
        if (raw instanceof List<?> list) {
            if (list.size() == 1) {
                Object only = list.get(0);
                return text.equals(only) || uuid.equals(only) || (only instanceof byte[] b && Arrays.equals(b, bytes));
            }
            return list.size() == bytes.length && isPlaceholderBytesAsNumbers(list);
        }
        return false;
    }

    private boolean isPlaceholderBytesAsNumbers(List<?> list) {
        for (int i = 0; i < bytes.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.longValue() != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
