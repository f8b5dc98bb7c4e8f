package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fuzz tests demand of any text a client is sent: no stack trace, no Java class or object
 * names leaking out of the implementation, and no long echo of the client's own input. Text the
 * client itself sent may be quoted back in part, so a suspicious piece that also occurs in the input
 * is not counted.
 */
final class ClientVisible {

    /** Longest message accepted: paths and reasons are short, and long client text is abbreviated. */
    static final int MAX_LENGTH = 2_000;

    private static final Pattern[] LEAKS = {
        Pattern.compile("\\n\\s*at [\\w$.]+\\("), // a stack frame
        Pattern.compile("Caused by:"),
        Pattern.compile(
                "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)\\b"), // a throwable's class name
        Pattern.compile("\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b"), // a throwable's simple name
        Pattern.compile("\\b(?:java|javax|jdk|sun|com\\.fasterxml|io\\.undercurrent)\\.[a-z]"),
        Pattern.compile("[\\w$]@[0-9a-f]{5,8}\\b"), // Object.toString()
    };

    private ClientVisible() {}

    /** Fails when {@code text}, sent to a client that sent {@code input}, leaks implementation details. */
    static void assertSafe(String text, String input) {
        assertThat(text).as("client-visible text").isNotNull().isNotBlank().hasSizeLessThanOrEqualTo(MAX_LENGTH);
        for (Pattern leak : LEAKS) {
            Matcher m = leak.matcher(text);
            while (m.find()) {
                assertThat(input)
                        .as("client-visible text leaks %s: %s", m.group(), text)
                        .contains(m.group());
            }
        }
    }
}
