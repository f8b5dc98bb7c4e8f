package io.undercurrent.rules.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Words that mean something to MVEL or Java but are not part of the rule language, with the reason
 * to give the author. Checked where a name would be a variable or function, never after a dot
 * ({@code row.new} is a column named "new").
 */
final class Keywords {

    static final Set<String> VARIABLES = Set.of("auth", "row", "now");

    private static final Map<String, String> FORBIDDEN = new HashMap<>();

    static {
        forbid("object creation ('new') is not allowed", "new");
        forbid("loops are not allowed", "for", "foreach", "while", "do", "until", "loop", "break", "continue");
        forbid(
                "statements are not allowed; combine conditions with &&, || and !",
                "if",
                "else",
                "switch",
                "case",
                "default",
                "return",
                "throw",
                "try",
                "catch",
                "finally",
                "synchronized",
                "yield");
        forbid("function definitions are not allowed", "def", "function", "fun", "lambda", "proto", "macro");
        forbid("imports are not allowed", "import", "import_static", "package");
        forbid(
                "declarations are not allowed: rules cannot assign",
                "var",
                "val",
                "let",
                "final",
                "static",
                "class",
                "interface",
                "enum",
                "record");
        forbid("'with' blocks are not allowed", "with");
        forbid("'assert' is not allowed", "assert");
        forbid("type tests and casts are not allowed", "instanceof", "is", "typeof", "convertable_to", "isdef");
        forbid("fuzzy operators are not allowed", "soundslike", "strsim");
        forbid("'this' and 'super' are not available: the variables are auth, row and now", "this", "super");
        forbid(
                "'empty' and 'nil' are not available: test for a missing value with == null",
                "empty",
                "nil",
                "undefined");
        forbid("write && for 'and', || for 'or' and ! for 'not'", "and", "or", "not");
    }

    private Keywords() {}

    private static void forbid(String reason, String... words) {
        for (String word : words) {
            FORBIDDEN.put(word, reason);
        }
    }

    /** Why {@code word} cannot be used, or null when it is an ordinary name. */
    static String reason(String word) {
        String reason = FORBIDDEN.get(word);
        return reason == null ? null : "'" + word + "': " + reason;
    }
}
