package io.undercurrent.source.postgres;

import static io.undercurrent.query.Schemas.TODOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.rules.ReadPushdown;
import io.undercurrent.query.rules.ReadPushdown.Pushdown;
import io.undercurrent.rules.RowCondition;
import io.undercurrent.rules.RowCondition.Compare;
import io.undercurrent.rules.RowCondition.Comparison;
import io.undercurrent.rules.RowCondition.IsNull;
import io.undercurrent.rules.RowCondition.Opaque;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a read rule, with the subscriber decided, becomes a filter for the snapshot's SQL: exactly
 * where both semantics agree on every value a column can hold, nothing where they might not.
 */
class ReadPushdownTest {

    private static final Filter ALL = Filter.matchAll();
    private static final Filter NONE = new Filter.Or(List.of());
    private static final List<Object> SPECIALS = List.of("-Infinity", "Infinity", "NaN");

    private static Pushdown push(RowCondition condition) {
        return ReadPushdown.of(condition, TODOS);
    }

    private static Filter pushed(String column, Comparison comparison, Object value) {
        return push(new Compare(column, comparison, value)).filter();
    }

    private static Filter.Comparison cmp(String column, Filter.Operator op, Object value) {
        return new Filter.Comparison(column, op, value);
    }

    private static String sql(Filter filter) {
        LiveQuery query = new LiveQuery("app", "public.todos", filter, List.of("id"), List.of(), null);
        return new PostgresSqlBuilder().snapshot(query, TODOS).sql();
    }

    @Test
    void theTypicalOwnerRuleBecomesAParameterisedComparison() {
        Pushdown owner = push(new Compare("owner_id", Comparison.EQ, 42L));
        assertThat(owner).isEqualTo(new Pushdown(cmp("owner_id", Filter.Operator.EQ, 42L), true));
        assertThat(sql(owner.filter()))
                .isEqualTo("SELECT \"id\" FROM \"public\".\"todos\" WHERE (\"owner_id\" = ?::int8)"
                        + " ORDER BY \"id\" ASC");
    }

    @Test
    void constantsJunctionsAndNullTests() {
        assertThat(push(RowCondition.TRUE)).isEqualTo(new Pushdown(ALL, true));
        assertThat(push(RowCondition.FALSE)).isEqualTo(new Pushdown(NONE, true));
        assertThat(push(new IsNull("title", true)).filter()).isEqualTo(new Filter.IsNull("title", true));
        assertThat(push(new IsNull("nope", true)))
                .as("rules read a missing column as null")
                .isEqualTo(new Pushdown(ALL, true));
        assertThat(push(new IsNull("nope", false))).isEqualTo(new Pushdown(NONE, true));
        assertThat(push(new RowCondition.And(
                        List.of(new Compare("done", Comparison.EQ, false), new IsNull("title", false)))))
                .isEqualTo(new Pushdown(
                        new Filter.And(
                                List.of(cmp("done", Filter.Operator.EQ, false), new Filter.IsNull("title", false))),
                        true));
    }

    @Test
    void anOpaquePartIsDroppedFromAnAndAndStopsAnOr() {
        Compare owner = new Compare("owner_id", Comparison.EQ, 7L);
        Opaque opaque = new Opaque("startsWith(row.title, 'x')");
        assertThat(push(new RowCondition.And(List.of(owner, opaque))))
                .isEqualTo(new Pushdown(cmp("owner_id", Filter.Operator.EQ, 7L), false));
        assertThat(push(new RowCondition.Or(List.of(owner, opaque)))).isEqualTo(new Pushdown(ALL, false));
        assertThat(push(opaque)).isEqualTo(new Pushdown(ALL, false));
        assertThat(push(new RowCondition.Or(List.of(
                        new Compare("owner_id", Comparison.EQ, 1L),
                        new RowCondition.And(List.of(new Compare("done", Comparison.EQ, true), opaque))))))
                .as("a partly pushed branch leaves the OR inexact")
                .isEqualTo(new Pushdown(
                        new Filter.Or(List.of(
                                cmp("owner_id", Filter.Operator.EQ, 1L), cmp("done", Filter.Operator.EQ, true))),
                        false));
        assertThat(push(new RowCondition.And(List.of(opaque, new Compare("owner_id", Comparison.EQ, "7")))))
                .as("no row can pass")
                .isEqualTo(new Pushdown(NONE, true));
    }

    @Test
    void aComparisonOfDifferentKindsIsFalseAsInRules() {
        assertThat(pushed("owner_id", Comparison.EQ, "42"))
                .as("text never equals a number")
                .isEqualTo(NONE);
        assertThat(pushed("owner_id", Comparison.NE, "42"))
                .as("not even with !=")
                .isEqualTo(NONE);
        assertThat(pushed("title", Comparison.LT, 5L)).isEqualTo(NONE);
        assertThat(pushed("done", Comparison.EQ, "true")).isEqualTo(NONE);
        assertThat(pushed("done", Comparison.LT, true))
                .as("booleans have no order")
                .isEqualTo(NONE);
        assertThat(pushed("tags", Comparison.NE, "x")).as("lists never compare").isEqualTo(NONE);
        assertThat(pushed("created_at", Comparison.GT, 5L)).isEqualTo(NONE);
        assertThat(pushed("nope", Comparison.NE, 1L))
                .as("a missing column is null")
                .isEqualTo(NONE);
    }

    @Test
    void numericColumnsExcludeNaNAndTheInfinitiesWhichNoNumberComparisonAccepts() {
        assertThat(pushed("score", Comparison.EQ, new BigDecimal("2.5")))
                .isEqualTo(cmp("score", Filter.Operator.EQ, new BigDecimal("2.5")));
        assertThat(pushed("score", Comparison.NE, 2L))
                .isEqualTo(new Filter.And(
                        List.of(cmp("score", Filter.Operator.NE, 2L), new Filter.In("score", SPECIALS, true))));
        assertThat(pushed("ratio", Comparison.GT, new BigDecimal("0.5")))
                .isEqualTo(new Filter.And(List.of(
                        cmp("ratio", Filter.Operator.GT, new BigDecimal("0.5")),
                        new Filter.In("ratio", SPECIALS, true))));
        assertThat(pushed("owner_id", Comparison.LE, new BigDecimal("2.5")))
                .as("integers never hold specials")
                .isEqualTo(cmp("owner_id", Filter.Operator.LTE, new BigDecimal("2.5")));
    }

    @Test
    void textAgainstANumericColumnCanOnlyMeetNaNAndTheInfinitiesByName() {
        assertThat(pushed("score", Comparison.EQ, "NaN")).isEqualTo(new Filter.In("score", List.of("NaN"), false));
        assertThat(pushed("score", Comparison.NE, "NaN"))
                .isEqualTo(new Filter.In("score", List.of("-Infinity", "Infinity"), false));
        assertThat(pushed("ratio", Comparison.GT, "J"))
                .as("by text order, as rules compare texts")
                .isEqualTo(new Filter.In("ratio", List.of("NaN"), false));
        assertThat(pushed("ratio", Comparison.EQ, "1.5")).isEqualTo(NONE);
    }

    @Test
    void whatTheFilterWouldReadDifferentlyIsNotPushed() {
        assertThat(pushed("ratio", Comparison.EQ, new BigDecimal("0.1000000000000000001")))
                .as("PostgreSQL would round it to a double")
                .isEqualTo(ALL);
        assertThat(pushed("ratio", Comparison.EQ, new BigDecimal("0.1"))).isNotEqualTo(ALL);
        assertThat(pushed("code", Comparison.EQ, "ab"))
                .as("char(n) drops its padding in SQL only")
                .isEqualTo(ALL);
        assertThat(pushed("title", Comparison.LT, "\uE000"))
                .as("code units and code points order it differently")
                .isEqualTo(ALL);
        assertThat(pushed("title", Comparison.EQ, "\uE000")).isEqualTo(cmp("title", Filter.Operator.EQ, "\uE000"));
        assertThat(pushed("title", Comparison.EQ, "a\u0000")).as("not storable").isEqualTo(ALL);
        assertThat(pushed("uid", Comparison.EQ, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
                .as("a filter would lower-case it")
                .isEqualTo(ALL);
        assertThat(pushed("uid", Comparison.LT, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                .isEqualTo(cmp("uid", Filter.Operator.LT, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(pushed("created_at", Comparison.EQ, "2024-05-01T12:00:00.000000Z"))
                .isEqualTo(cmp("created_at", Filter.Operator.EQ, "2024-05-01T12:00:00.000000Z"));
        assertThat(pushed("created_at", Comparison.EQ, "2024-05-01T12:00:00Z"))
                .as("not canonical")
                .isEqualTo(ALL);
        assertThat(pushed("created_at", Comparison.GT, "2024-05-01T12:00:00.000000Z"))
                .as("rules order the text, and expanded years do not order as text")
                .isEqualTo(ALL);
        assertThat(pushed("due", Comparison.NE, "2024-05-01")).isEqualTo(cmp("due", Filter.Operator.NE, "2024-05-01"));
        assertThat(pushed("meta", Comparison.EQ, 1L))
                .as("json may hold any kind")
                .isEqualTo(ALL);
        assertThat(pushed("blob", Comparison.EQ, "AA==")).isEqualTo(ALL);
    }

    @Test
    void theFilterIsAndedIntoTheClientsWhere() {
        Filter client = cmp("done", Filter.Operator.EQ, false);
        LiveQuery query = new LiveQuery("app", "public.todos", client, null, List.of(), 10);
        Filter owner = cmp("owner_id", Filter.Operator.EQ, 7L);
        assertThat(ReadPushdown.narrow(query, owner).where()).isEqualTo(new Filter.And(List.of(client, owner)));
        assertThat(ReadPushdown.narrow(query, owner).limit()).isEqualTo(10);
        assertThat(ReadPushdown.narrow(query, ALL)).isSameAs(query);
        LiveQuery everything = new LiveQuery("app", "public.todos", null, null, List.of(), null);
        assertThat(ReadPushdown.narrow(everything, owner).where()).isEqualTo(owner);
    }
}
