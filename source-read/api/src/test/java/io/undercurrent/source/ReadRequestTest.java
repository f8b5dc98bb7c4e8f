package io.undercurrent.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadRequestTest {

    private static final TableSchema OWNED = new TableSchema(
            "app",
            "public.owned",
            List.of(new Column("id", ColumnType.INTEGER, "int8"), new Column("owner", ColumnType.TEXT, "text")),
            List.of("id"));
    private static final Filter MINE = new Filter.Comparison("owner", Filter.Operator.EQ, "alice");
    private static final Filter SOME = new Filter.IsNull("id", false);

    private static ReadRequest read(Filter where, Filter pushdown) {
        return new ReadRequest(new LiveQuery("app", "public.owned", where, null, List.of(), null), OWNED, pushdown, 10);
    }

    @Test
    void theFilterIsTheWhereAndThePushdownWithoutANeedlessAnd() {
        assertThat(read(Filter.matchAll(), Filter.matchAll()).filter()).isEqualTo(Filter.matchAll());
        assertThat(read(SOME, Filter.matchAll()).filter()).isEqualTo(SOME);
        assertThat(read(Filter.matchAll(), MINE).filter()).isEqualTo(MINE);
        assertThat(read(SOME, MINE).filter()).isEqualTo(new Filter.And(List.of(SOME, MINE)));
    }
}
