package io.undercurrent.source.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.LiveQueryParser;
import io.undercurrent.query.Schemas;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbSqlBuilderTest {

    private static final TableSchema TODOS = new TableSchema(
            "app",
            "app.todos",
            List.of(
                    new Column("id", ColumnType.INTEGER, "bigint(20)"),
                    new Column("title", ColumnType.TEXT, "varchar(100)"),
                    new Column("we`ird", ColumnType.TEXT, "text"),
                    new Column("done", ColumnType.BOOLEAN, "tinyint(1)"),
                    new Column("score", ColumnType.FLOAT, "float")),
            List.of("id"));

    private static SqlQuery sql(String query) {
        LiveQuery parsed = new LiveQueryParser().parse(Schemas.json(query), TODOS);
        return new MariaDbSqlBuilder().snapshot(parsed, TODOS);
    }

    @Test
    void identifiersAreBacktickedAndValuesAreParameters() {
        SqlQuery q = sql("{'table':'app.todos','where':{'we`ird':{'eq':'x` OR 1=1 -- '},'done':{'eq':true}},"
                + "'orderBy':[['title','desc']],'limit':5}");
        assertThat(q.sql())
                .isEqualTo(
                        "SELECT `id`, `title`, `we``ird`, `done`, CAST(`score` AS DOUBLE) AS `score` FROM `app`.`todos`"
                                + " WHERE ((CAST(CONVERT(`we``ird` USING utf8mb4) AS BINARY) = CAST(CONVERT(? USING utf8mb4) AS BINARY))"
                                + " AND ((`done` > 0) = ?))"
                                + " ORDER BY `title` IS NULL DESC, CAST(CONVERT(`title` USING utf8mb4) AS BINARY) DESC, `id` ASC"
                                + " LIMIT ?");
        assertThat(q.params()).containsExactly("x` OR 1=1 -- ", true, 5);
    }

    @Test
    void constantsNoValueCanReachAreDecidedKeepingNullUnknown() {
        SqlQuery q = sql("{'table':'app.todos','where':{'score':{'lt':'Infinity'}}}");
        assertThat(q.sql()).endsWith("WHERE (CASE WHEN `score` IS NULL THEN NULL ELSE TRUE END) ORDER BY `id` ASC");
        assertThat(q.params()).isEmpty();
    }

    @Test
    void aSinglePrecisionFloatIsComparedWithItsFloatBound() {
        // 1.1f widens to 1.100000023841858: that is the value ingest sends and the matcher compares.
        SqlQuery q = sql("{'table':'app.todos','where':{'score':{'eq':1.100000023841858}}}");
        assertThat(q.params()).containsExactly((double) 1.1f);
        assertThat(sql("{'table':'app.todos','where':{'score':{'eq':1.1}}}").params())
                .as("no float widens to exactly 1.1")
                .doesNotContain((double) 1.1f);
    }
}
