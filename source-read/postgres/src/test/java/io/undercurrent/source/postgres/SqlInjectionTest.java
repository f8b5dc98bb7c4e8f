package io.undercurrent.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.Schemas;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client text can reach the SQL only as bind parameters; identifiers come from the catalog, quoted. */
class SqlInjectionTest {
    private static final TableSchema ODD = new TableSchema(
            null,
            "we\"ird.ta\"ble",
            List.of(
                    new Column("id", ColumnType.INTEGER, "int8"),
                    new Column("na\"me; DROP TABLE x; --", ColumnType.TEXT, "text")),
            List.of("id"));

    private final PostgresSqlBuilder builder = new PostgresSqlBuilder();

    @Test
    void columnNamesOutsideTheSchemaAreRejectedBeforeAnySqlIsWritten() {
        for (String attack :
                List.of("id\" = 1 OR \"1\"=\"1", "id; DROP TABLE todos; --", "id)) OR ((1=1", "ID", "\"id\"")) {
            String frame =
                    "{\"table\":\"public.todos\",\"where\":{" + Schemas.JSON.valueToTree(attack) + ":{\"eq\":1}}}";
            assertThatThrownBy(() -> new LiveQueryParser().parse(Schemas.JSON.readTree(frame), Schemas.TODOS))
                    .isInstanceOf(InvalidQueryException.class)
                    .hasMessageContaining("unknown column");
            String fields = "{\"table\":\"public.todos\",\"fields\":[" + Schemas.JSON.valueToTree(attack) + "]}";
            assertThatThrownBy(() -> new LiveQueryParser().parse(Schemas.JSON.readTree(fields), Schemas.TODOS))
                    .isInstanceOf(InvalidQueryException.class)
                    .hasMessageContaining("unknown column");
        }
    }

    @Test
    void valuesWithQuotesTravelAsParameters() {
        String attack = "x' OR '1'='1'; DROP TABLE todos; --";
        LiveQuery q = new LiveQueryParser()
                .parse(
                        Schemas.JSON
                                .createObjectNode()
                                .put("table", "public.todos")
                                .set(
                                        "where",
                                        Schemas.JSON
                                                .createObjectNode()
                                                .set(
                                                        "title",
                                                        Schemas.JSON
                                                                .createObjectNode()
                                                                .put("eq", attack))),
                        Schemas.TODOS);
        SqlQuery sql = builder.snapshot(q, Schemas.TODOS);
        assertThat(sql.sql()).doesNotContain("DROP").doesNotContain("'");
        assertThat(sql.params()).containsExactly(attack);
    }

    @Test
    void oddIdentifiersFromTheCatalogAreQuoted() {
        String name = "na\"me; DROP TABLE x; --";
        LiveQuery q = new LiveQuery(
                null,
                ODD.table(),
                new Filter.Comparison(name, Filter.Operator.EQ, "v"),
                List.of(name),
                List.of(new LiveQuery.Order(name, LiveQuery.Direction.DESC)),
                null);
        SqlQuery sql = builder.snapshot(q, ODD);
        assertThat(sql.sql())
                .isEqualTo(
                        "SELECT \"na\"\"me; DROP TABLE x; --\", \"id\" FROM \"we\"\"ird\".\"ta\"\"ble\""
                                + " WHERE ((\"na\"\"me; DROP TABLE x; --\"::text COLLATE \"C\") = ?::text)"
                                + " ORDER BY (\"na\"\"me; DROP TABLE x; --\"::text COLLATE \"C\") DESC NULLS FIRST, \"id\" ASC");
        assertThat(sql.params()).containsExactly("v");
    }

    @Test
    void queriesReadBackFromJsonAreCheckedAgainstTheSchema() {
        LiveQuery q = new LiveQuery(
                null, "public.todos", new Filter.Comparison("title\" --", Filter.Operator.EQ, "v"), null, null, null);
        assertThatThrownBy(() -> builder.snapshot(q, Schemas.TODOS))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown column");
        LiveQuery fields = new LiveQuery(null, "public.todos", null, List.of("id\" FROM pg_shadow --"), null, null);
        assertThatThrownBy(() -> builder.snapshot(fields, Schemas.TODOS)).isInstanceOf(InvalidQueryException.class);
        LiveQuery order = new LiveQuery(
                null,
                "public.todos",
                null,
                null,
                List.of(new LiveQuery.Order("id; --", LiveQuery.Direction.ASC)),
                null);
        assertThatThrownBy(() -> builder.snapshot(order, Schemas.TODOS)).isInstanceOf(InvalidQueryException.class);
    }
}
