package io.undercurrent.query.spi;

import java.util.regex.Pattern;

/** Builds the JSON paths that error messages name ({@code where.and[1].owner_id.gt}). */
public final class JsonPaths {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private JsonPaths() {}

    /** {@code parent.key}, or {@code parent["odd key"]} when the key is not a plain identifier. */
    public static String key(String parent, String key) {
        if (PLAIN.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[" + quote(key) + "]";
    }

    /** {@code parent[index]}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A client-supplied name as a JSON string literal, shortened if long, for messages. */
    public static String quote(String name) {
        String s = ValueCoercion.abbreviate(name);
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
