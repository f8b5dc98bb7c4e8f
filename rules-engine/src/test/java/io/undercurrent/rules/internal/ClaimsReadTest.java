package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which claims an expression reads. The checker refuses {@code auth} alone outside {@code == null} and
 * {@code != null}, so "any claim" is a fallback no loaded rule reaches today; it must still answer so.
 */
class ClaimsReadTest {

    private static Set<String> read(String... expressions) {
        List<Expr> trees = new java.util.ArrayList<>();
        for (String expression : expressions) {
            trees.add(Parser.parse(expression, (offset, message) -> {
                throw new AssertionError(message + " at " + offset + " in " + expression);
            }));
        }
        return ClaimsRead.of(trees);
    }

    @Test
    void claimsAreNamedByTheirTopLevelName() {
        assertThat(read("auth.org.tier == 'gold' && row.x == auth['team']", "lower(auth.email) == row.email"))
                .containsExactlyInAnyOrder("org", "team", "email");
        assertThat(read("auth != null && null != auth", "auth == null || row.done == true"))
                .isEmpty();
    }

    @Test
    void theClaimsReadAsAWholeOrByAComputedKeyMayBeAnyOfThem() {
        assertThat(read("auth.sub == row.owner", "size(auth) > 0")).isNull();
        assertThat(read("auth[row.kind] == 'yes'")).isNull();
        assertThat(read("auth[0] == 'yes'")).isNull();
        assertThat(read("auth == auth")).isNull();
    }
}
