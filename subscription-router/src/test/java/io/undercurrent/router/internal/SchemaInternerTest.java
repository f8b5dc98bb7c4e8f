package io.undercurrent.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInternerTest {

    private final SchemaInterner interner = new SchemaInterner();

    @Test
    void equalSchemasBecomeOneInstanceAndOthersStayApart() {
        TableSchema first = interner.intern(todos("title"));
        TableSchema again = interner.intern(todos("title"));
        TableSchema other = interner.intern(todos("note"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first).isEqualTo(todos("note"));
        assertThat(interner.intern(todos("note"))).isSameAs(other);
        assertThat(interner.size()).isEqualTo(2);
        assertThat(interner.intern(null)).isNull();
    }

    private static TableSchema todos(String column) {
        return new TableSchema(
                "app",
                "public.todos",
                List.of(
                        new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                        new TableSchema.Column(column, ColumnType.TEXT, "text")),
                List.of("id"));
    }
}
