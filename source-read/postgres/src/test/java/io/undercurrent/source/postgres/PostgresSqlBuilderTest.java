package io.undercurrent.source.postgres;

import static io.undercurrent.query.Schemas.TODOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.Schemas;
import io.undercurrent.source.jdbc.SqlQuery;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PostgresSqlBuilderTest {
    private final PostgresSqlBuilder builder = new PostgresSqlBuilder();

    private SqlQuery sql(String frame) {
        return builder.snapshot(Schemas.parse(frame), TODOS);
    }

    @Test
    void selectsFieldsAndKeyOrdersThenByKeyAndLimits() {
        SqlQuery q = sql("{'table':'public.todos','where':{'owner_id':{'eq':7},'done':{'eq':false}},"
                + "'fields':['title','created_at'],'orderBy':[['created_at','desc']],'limit':50}");
        assertThat(q.sql())
                .isEqualTo("SELECT \"title\", \"created_at\", \"id\" FROM \"public\".\"todos\""
                        + " WHERE ((\"owner_id\" = ?::int8) AND (\"done\" = ?::boolean))"
                        + " ORDER BY \"created_at\" DESC NULLS FIRST, \"id\" ASC LIMIT ?");
        assertThat(q.params()).containsExactly(7L, false, 50);
    }

    @Test
    void withoutFilterSelectsEveryColumnInKeyOrder() {
        SqlQuery q = sql("{'table':'public.todos'}");
        assertThat(q.sql())
                .startsWith("SELECT \"id\", \"owner_id\", \"title\", \"code\", ")
                .endsWith(" FROM \"public\".\"todos\" ORDER BY \"id\" ASC");
        assertThat(q.params()).isEmpty();
    }

    @Test
    void textIsComparedAndSortedByCodePoint() {
        SqlQuery q = sql("{'table':'public.todos','where':{'title':{'gte':'a'},'code':{'eq':'ab  '}},"
                + "'fields':['id'],'orderBy':['title']}");
        assertThat(q.sql())
                .isEqualTo("SELECT \"id\" FROM \"public\".\"todos\""
                        + " WHERE (((\"title\"::text COLLATE \"C\") >= ?::text) AND ((\"code\"::text COLLATE \"C\") = ?::text))"
                        + " ORDER BY (\"title\"::text COLLATE \"C\") ASC NULLS LAST, \"id\" ASC");
        // char(n) ignores trailing spaces: the cast drops the column's, the builder the constant's.
        assertThat(q.params()).containsExactly("a", "ab");
    }

    @Test
    void logicAndNullsAreSpelledOutForSql() {
        SqlQuery q = sql("{'table':'public.todos','fields':['id'],'where':{'or':[{'not':{'id':{'in':[1,null]}}},"
                + "{'id':{'nin':[]}},{'id':{'in':[]}},{'owner_id':{'eq':null}},{'title':{'isNull':true}},"
                + "{'and':[]},{'or':[]}]}}");
        assertThat(q.sql())
                .isEqualTo("SELECT \"id\" FROM \"public\".\"todos\" WHERE ("
                        + "(NOT (\"id\" IN (?::int8, NULL))) OR TRUE OR FALSE OR CAST(NULL AS boolean)"
                        + " OR (\"title\" IS NULL) OR TRUE OR FALSE) ORDER BY \"id\" ASC");
        assertThat(q.params()).containsExactly(1L);
    }

    @Test
    void eachKindGetsItsCastAndJdbcValue() {
        SqlQuery q = sql("{'table':'public.todos','fields':['id'],'where':{"
                + "'owner_id':{'lt':2.5},'score':{'gt':'NaN'},'ratio':{'ne':0.1},'uid':{'eq':'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'},"
                + "'created_at':{'gt':'2024-05-01T14:00:00+02:00'},'local_at':{'lt':'-0043-03-15T00:00:00'},"
                + "'due':{'lt':'+10000-01-01'},'at_time':{'lt':'24:00'},'blob':{'eq':'AQI='}}}");
        assertThat(q.sql())
                .contains(
                        "(\"owner_id\" < ?::numeric)",
                        "(\"score\" > ?::numeric)",
                        "(\"ratio\" <> ?::float8)",
                        "(\"uid\" = ?::uuid)",
                        "(\"created_at\" > ?::timestamptz)",
                        "(\"local_at\" < ?::timestamp)",
                        "(\"due\" < ?::date)",
                        "(\"at_time\" < ?::time)",
                        "(\"blob\" = ?::bytea)");
        assertThat(q.params()).hasSize(9);
        assertThat(q.params().subList(0, 8))
                .containsExactly(
                        new BigDecimal("2.5"),
                        "NaN",
                        0.1,
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                        "2024-05-01 12:00:00.000000+00",
                        "0044-03-15 00:00:00.000000 BC",
                        "10000-01-01",
                        "24:00:00.000000");
        assertThat((byte[]) q.params().get(8)).containsExactly(1, 2);
    }

    @Test
    void aJsonNullDocumentCountsAsNullAsInTheCanonicalRow() {
        SqlQuery q = sql("{'table':'public.todos','fields':['id'],'where':{'meta':{'isNull':true},"
                + "'not':{'meta':{'isNull':false}}}}");
        assertThat(q.sql())
                .contains(
                        "(\"meta\" IS NULL OR jsonb_typeof(\"meta\") = 'null')",
                        "(NOT (\"meta\" IS NOT NULL AND jsonb_typeof(\"meta\") <> 'null'))");
        assertThat(q.params()).isEmpty();
    }
}
