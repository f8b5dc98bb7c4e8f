package io.undercurrent.source.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPiecesTest {

    @Test
    void readsArrayLiterals() {
        assertThat(PgArrayLiteral.parse("{}")).isEmpty();
        assertThat(PgArrayLiteral.parse("{1,NULL,3}")).isEqualTo(Arrays.asList("1", null, "3"));
        assertThat(PgArrayLiteral.parse("{\"a b\",\"c\\\"d\",\"NULL\",\"\",x\\,y}"))
                .isEqualTo(List.of("a b", "c\"d", "NULL", "", "x,y"));
        assertThat(PgArrayLiteral.parse("{{1,2},{3,4}}")).isEqualTo(List.of(List.of("1", "2"), List.of("3", "4")));
        assertThat(PgArrayLiteral.parse("[0:1]={7,8}")).isEqualTo(List.of("7", "8"));
        assertThatThrownBy(() -> PgArrayLiteral.parse("{1,2")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void quotesIdentifiersSafely() {
        assertThat(SqlText.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlText.quote("Robert'); DROP TABLE x;--")).isEqualTo("\"Robert'); DROP TABLE x;--\"");
        assertThatThrownBy(() -> SqlText.quote("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlText.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
