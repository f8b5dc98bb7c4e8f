package io.undercurrent.query.spi;

/**
 * Text order as PostgreSQL's {@code COLLATE "C"} sees it in a UTF-8 database: by
 * Unicode code point, which is the byte order of UTF-8. Java's own
 * {@link String#compareTo} orders UTF-16 code units instead, and puts characters
 * above U+FFFF (emoji, most CJK extensions) before U+E000..U+FFFF; this does not.
 */
public final class CodePoints {
    private CodePoints() {}

    /** Compares {@code a[0, aLen)} with {@code b[0, bLen)}; negative, zero or positive. Allocation-free. */
    public static int compare(CharSequence a, int aLen, CharSequence b, int bLen) {
        int n = Math.min(aLen, bLen);
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca >= 0xD800 && cb >= 0xD800) {
                    // Move surrogates (supplementary code points) above U+E000..U+FFFF.
                    ca = fix(ca);
                    cb = fix(cb);
                }
                return ca - cb;
            }
        }
        return aLen - bLen;
    }

    private static char fix(char c) {
        return (char) (c >= 0xE000 ? c - 0x800 : c + 0x2000);
    }

    /** Length of {@code s} without trailing ASCII spaces: how {@code char(n)} compares. */
    public static int lengthWithoutTrailingSpaces(CharSequence s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == ' ') {
            n--;
        }
        return n;
    }

    /**
     * Why {@code s} cannot be stored in PostgreSQL text, or {@code null} if it can:
     * the NUL character and unpaired surrogates have no UTF-8 form there.
     */
    public static String unstorableReason(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "contains the NUL character (\\u0000), which PostgreSQL text cannot hold";
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate at index " + i + ", which is not valid Unicode";
            }
        }
        return null;
    }
}
